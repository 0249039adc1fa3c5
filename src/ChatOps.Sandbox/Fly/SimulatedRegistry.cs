using System.Security.Cryptography;
using System.Text;

namespace ChatOps.Sandbox;

// Fly's image registry, as far as the bot reads it: what each tag points at. Every tag exists; a test pushes one
// again (same tag, new content) with Repush, and from then on the tag resolves to a new digest, for a manifest
// HEAD and for the next machine update alike. Machines already running keep the digest they resolved.
public sealed class SimulatedRegistry
{
    private readonly Dictionary<string, int> _pushes = new(StringComparer.Ordinal);

    public string DigestOf(string image)
    {
        int pushes;
        lock (_pushes)
        {
            pushes = _pushes.GetValueOrDefault(image);
        }

        // The first push's digest is the one machines have always reported for an image (ImageRef.Parse).
        return pushes == 0
            ? ImageRef.Parse(image).Digest
            : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{image}#{pushes}")));
    }

    // Pushes the image again under the same tag; returns the tag's new digest.
    public string Repush(string image)
    {
        lock (_pushes)
        {
            _pushes[image] = _pushes.GetValueOrDefault(image) + 1;
        }

        return DigestOf(image);
    }
}
