using System.Text;
using ChatOps.Core.Ports;
using ChatOps.Host.Http;
using Flurl.Http;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Fly;

// Whether a tag exists in Fly's registry and what it points at now, read with the registry API's manifest HEAD
// (Docker-Content-Digest): Preflight refuses a release whose image was never pushed, the approval binds digests and a
// tag pushed again after it is a different plan. Images elsewhere are not looked up.
public sealed class FlyRegistry(IHttpClientFactory httpClients, IOptions<FlyOptions> options, ILogger<FlyRegistry> logger) : IImageRegistry
{
    public const string Host = "registry.fly.io";
    private const string SystemName = "Fly registry";

    // Single images and multi-platform indexes, Docker's and OCI's: the digest is of whichever the tag names.
    private const string ManifestTypes =
        "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, "
        + "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

    public async Task<ImageLookup> LookUpAsync(string image, CancellationToken cancellationToken)
    {
        if (Reference.Parse(image) is not { } reference)
            return ImageLookup.NotLookedUp;
        var fly = options.Value;
        using var client = httpClients.CreateFlurlClient(FlyClient.HttpClientName, fly.RegistryUrl, OutsideCalls.WebJson);
        using var response = await client.Request("v2").AppendPathSegments(reference.Repository.Split('/')).AppendPathSegments("manifests", reference.Tag)
            .WithHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x:" + fly.RegistryPassword)))
            .WithHeader("Accept", ManifestTypes)
            .SendAsync(SystemName, HttpMethod.Head, null, cancellationToken, 401, 403, 404);
        if (response.StatusCode == 404)
            return ImageLookup.Missing;
        if (response.StatusCode is 401 or 403)
        {
            // Not knowing whether the image exists is no answer: the release must not go on as if it did.
            logger.LogWarning("The Fly registry refused to say whether {Image} exists ({Status})", image, response.StatusCode);
            throw new InvalidOperationException(
                $"The Fly registry refused the Fly token ({response.StatusCode}) when asked for {image}: the token must be able to read the app's images (`fly auth docker` uses the same).");
        }
        return response.Headers.TryGetFirst("Docker-Content-Digest", out var digest) && digest.StartsWith("sha256:", StringComparison.Ordinal)
            ? new ImageLookup(ImageState.Present, digest)
            : new ImageLookup(ImageState.Present);
    }

    // registry.fly.io/<repository>:<tag>; a reference without a tag, pinned by digest, or on another registry is not looked up.
    private sealed record Reference(string Repository, string Tag)
    {
        public static Reference? Parse(string image)
        {
            if (!image.StartsWith(Host + "/", StringComparison.Ordinal) || image.Contains('@', StringComparison.Ordinal))
                return null;
            var name = image[(Host.Length + 1)..];
            var colon = name.LastIndexOf(':');
            return colon > 0 && colon < name.Length - 1 && name.IndexOf('/', colon) < 0 ? new Reference(name[..colon], name[(colon + 1)..]) : null;
        }
    }
}
