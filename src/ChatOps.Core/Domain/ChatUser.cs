namespace ChatOps.Core.Domain;

/// <summary>Who speaks: <c>telegram:123</c>, <c>slack:U0123</c> or <c>console:alice</c>.</summary>
public sealed record ChatUser
{
    public ChatUser(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == id.Length - 1)
            throw new ArgumentException($"'{id}' is not a chat user id (platform:id).", nameof(id));
        Id = id;
    }

    public string Id { get; }

    public string Platform => Id[..Id.IndexOf(':', StringComparison.Ordinal)];

    public static ChatUser Of(string platform, string id) => new($"{platform}:{id}");

    public override string ToString() => Id;
}
