namespace ChatOps.Core.Domain;

/// <summary>Where a conversation happens: a platform and its chat or channel id.</summary>
public sealed record ChatChannel(string Platform, string Id)
{
    public override string ToString() => $"{Platform}:{Id}";
}

/// <summary>A message the bot posted and may edit later (the release card).</summary>
public sealed record ChatMessageRef(ChatChannel Channel, string MessageId);
