using System.Security.Cryptography;
using System.Text;

namespace ChatOps.Sandbox;

// Fly's image registry, as far as the bot reads it: which images were pushed and what each tag points at. Only a
// pushed image exists. A test pushes a tag again (same tag, new content) with Repush, and from then on the tag
// resolves to a new digest, for a manifest HEAD and for the next machine update alike; the old manifest stays
// pullable by its digest. Machines already running keep the digest they resolved.
public sealed class SimulatedRegistry
{
    public const string Host = "registry.fly.io";

    // `registry.fly.io/<app>:<tag>` → every digest the tag has named, newest last.
    private readonly Dictionary<string, List<string>> _tags = new(StringComparer.Ordinal);

    public string Push(string image)
    {
        var key = Key(image);
        lock (_tags)
        {
            if (!_tags.TryGetValue(key, out var digests))
            {
                // The first push's digest is the one machines have always reported for an image (ImageRef.Parse).
                _tags[key] = digests = [ImageRef.Parse(key).Digest];
            }

            return digests[^1];
        }
    }

    // Pushes the image again under the same tag; returns the tag's new digest.
    public string Repush(string image)
    {
        var key = Key(image);
        lock (_tags)
        {
            if (!_tags.TryGetValue(key, out var digests))
            {
                _tags[key] = digests = [];
            }

            var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{key}#{Math.Max(1, digests.Count)}")));
            digests.Add(digest);
            return digest;
        }
    }

    // Null when the image was never pushed. `repo@sha256:…` (with or without a tag) is pulled by its digest alone.
    public string? DigestOf(string image)
    {
        var reference = ImageRef.Parse(image);
        if (reference.Registry != Host)
        {
            // Other registries are out of sight: assume what the machine is told exists.
            return reference.Digest;
        }

        lock (_tags)
        {
            if (image.Contains('@', StringComparison.Ordinal))
            {
                return TagByDigest(reference) is null ? null : reference.Digest;
            }

            return _tags.TryGetValue(Key(image), out var digests) ? digests[^1] : null;
        }
    }

    public bool IsPushed(string image) => DigestOf(image) is not null;

    // The tag an image was pushed under: the one written in it, else the one whose pushes include its digest.
    public string? TagOf(string image)
    {
        var reference = ImageRef.Parse(image);
        if (reference.Tag.Length > 0)
        {
            return reference.Tag;
        }

        if (!image.Contains('@', StringComparison.Ordinal))
        {
            return null;
        }

        lock (_tags)
        {
            return TagByDigest(reference);
        }
    }

    private string? TagByDigest(ImageRef reference)
    {
        var prefix = $"{Host}/{reference.Repository}:";
        return _tags.FirstOrDefault(t => t.Key.StartsWith(prefix, StringComparison.Ordinal) && t.Value.Contains(reference.Digest))
            .Key?[prefix.Length..];
    }

    // A tagless reference means `latest`, as docker pull reads it.
    private static string Key(string image)
    {
        var reference = ImageRef.Parse(image);
        return $"{reference.Registry}/{reference.Repository}:{(reference.Tag.Length > 0 ? reference.Tag : "latest")}";
    }
}
