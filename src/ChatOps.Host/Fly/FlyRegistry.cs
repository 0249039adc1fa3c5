using System.Text;
using ChatOps.Core.Ports;
using ChatOps.Host.Http;
using Flurl.Http;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Fly;

// What a tag in Fly's registry points at now, read with the registry API's manifest HEAD (Docker-Content-Digest), so
// the approval binds digests and a tag pushed again after it is a different plan. Images elsewhere report none.
public sealed class FlyRegistry(IHttpClientFactory httpClients, IOptions<FlyOptions> options, ILogger<FlyRegistry> logger) : IImageRegistry
{
    public const string Host = "registry.fly.io";
    private const string SystemName = "Fly registry";

    // Single images and multi-platform indexes, Docker's and OCI's: the digest is of whichever the tag names.
    private const string ManifestTypes =
        "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, "
        + "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

    public async Task<string?> DigestAsync(string image, CancellationToken cancellationToken)
    {
        if (Reference.Parse(image) is not { } reference)
            return null;
        var fly = options.Value;
        using var client = httpClients.CreateFlurlClient(FlyClient.HttpClientName, fly.RegistryUrl, OutsideCalls.WebJson);
        using var response = await client.Request("v2").AppendPathSegments(reference.Repository.Split('/')).AppendPathSegments("manifests", reference.Tag)
            .WithHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x:" + fly.RegistryPassword)))
            .WithHeader("Accept", ManifestTypes)
            .SendAsync(SystemName, HttpMethod.Head, null, cancellationToken, 401, 403, 404);
        if (response.StatusCode == 404)
            return null;
        if (response.StatusCode is 401 or 403)
        {
            logger.LogWarning("The Fly registry refused to say what {Image} points at ({Status}); the approval binds the tag without its digest", image, response.StatusCode);
            return null;
        }
        return response.Headers.TryGetFirst("Docker-Content-Digest", out var digest) && digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest : null;
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
