namespace ChatOps.Core.Ports;

/// <summary>Where the services' images are pushed (Fly's registry): whether a tag exists, and what it points at now.</summary>
public interface IImageRegistry
{
    /// <summary>
    /// Looks <paramref name="image"/> up. An image on another registry, or one already pinned by digest, is
    /// <see cref="ImageState.NotLookedUp"/>; a registry that cannot be reached or refuses the credentials throws.
    /// </summary>
    Task<ImageLookup> LookUpAsync(string image, CancellationToken cancellationToken);

    /// <summary>
    /// The digest the registry holds for <paramref name="image"/> now (<c>sha256:…</c>), or null when it reports none:
    /// an image on another registry, or a tag it does not know.
    /// </summary>
    async Task<string?> DigestAsync(string image, CancellationToken cancellationToken) =>
        (await LookUpAsync(image, cancellationToken)) is { State: ImageState.Present, Digest: { } digest } ? digest : null;
}

public enum ImageState
{
    Present,
    Missing,
    NotLookedUp,
}

public sealed record ImageLookup(ImageState State, string? Digest = null)
{
    public static readonly ImageLookup Missing = new(ImageState.Missing);
    public static readonly ImageLookup NotLookedUp = new(ImageState.NotLookedUp);
}
