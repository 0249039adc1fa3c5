using System.Text;

namespace ChatOps.Sandbox;

// The registry API's manifest lookup (HEAD or GET /v2/<repository>/manifests/<tag>) under /fly-registry, answering
// Docker-Content-Digest. Logged in as `fly auth docker` does: user x, the Fly token as password.
internal static class RegistryEndpoints
{
    public const string Prefix = "/fly-registry";

    public static void MapRegistry(this WebApplication app, FlyCloud fly, SandboxOptions options)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x:" + options.FlyToken));
        app.MapMethods(Prefix + "/v2/{**path}", ["GET", "HEAD"], (string path, HttpRequest request, HttpResponse response) =>
        {
            if (request.Headers.Authorization.ToString() != expected)
            {
                response.Headers.WWWAuthenticate = "Basic realm=\"registry.fly.io\"";
                return Error(401, "UNAUTHORIZED", "authentication required");
            }

            var at = path.LastIndexOf("/manifests/", StringComparison.Ordinal);
            if (at <= 0)
            {
                return Error(404, "NOT_FOUND", "not found");
            }

            var repository = path[..at];
            var tag = path[(at + "/manifests/".Length)..];
            if (fly.FindApp(repository) is null || tag.Length == 0)
            {
                return Error(404, "NAME_UNKNOWN", "repository name not known to registry");
            }

            // A reference is a tag or a digest (`sha256:…`).
            var image = tag.StartsWith("sha256:", StringComparison.Ordinal)
                ? $"{SimulatedRegistry.Host}/{repository}@{tag}"
                : $"{SimulatedRegistry.Host}/{repository}:{tag}";
            if (fly.Registry.DigestOf(image) is not { } digest)
            {
                return Error(404, "MANIFEST_UNKNOWN", "manifest unknown");
            }

            response.Headers["Docker-Content-Digest"] = digest;
            response.Headers.ContentType = "application/vnd.docker.distribution.manifest.v2+json";
            return Results.Ok();
        });
    }

    private static IResult Error(int status, string code, string message) =>
        SandboxJson.Json(new { errors = new[] { new { code, message } } }, status);
}
