namespace ChatOps.Core.Domain;

/// <summary>
/// What a chat adapter knows about where a message came from, for the stranger rules in
/// the access rules (Rules/AccessRules): the chat's id, whether it is a one-to-one chat with the bot, whether the
/// chat is on the platform's allow list (<paramref name="AllowKey"/> names that list), and whether the bot runs live.
/// A message without a place (the console) is the operator's own terminal and is always served.
/// </summary>
public sealed record ChatPlace(string ChatId, bool Private, bool Listed, bool Live, string AllowKey);
