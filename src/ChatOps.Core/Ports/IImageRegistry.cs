namespace ChatOps.Core.Ports;

/// <summary>Where the services' images are pushed (Fly's registry): what a tag points at now.</summary>
public interface IImageRegistry
{
    /// <summary>
    /// The digest the registry holds for <paramref name="image"/> now (<c>sha256:…</c>), or null when it reports none:
    /// an image on another registry, or a tag it does not know.
    /// </summary>
    Task<string?> DigestAsync(string image, CancellationToken cancellationToken);
}
