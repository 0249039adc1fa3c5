using ChatOps.Core.Commands;
using ChatOps.Core.Store;

namespace ChatOps.Core.Chat;

/// <summary>
/// Each chat update is handled once however often it is delivered, and by one instance: the update's id is written in
/// the store, with the first change its command makes or before the work of a command that only answers.
/// </summary>
public sealed class UpdateClaims(IUpdateLog updates)
{
    /// <summary>
    /// For commands that change something: the update id is written with the first change the command makes
    /// (<see cref="UpdateReceipt"/>), or on its own after a command that changed nothing. The delivery that loses that
    /// write shows nothing, and whatever it was about to change is rolled back.
    /// </summary>
    public async Task<BotReply> OnceAsync(string platform, string? updateId, Func<Task<BotReply>> handle, CancellationToken cancellationToken)
    {
        if (updateId is null)
            return await handle();
        if (await updates.IsProcessedAsync(platform, updateId, cancellationToken))
            return BotReply.None;
        using var receipt = UpdateReceipt.Begin(platform, updateId);
        try
        {
            var reply = await handle();
            if (!receipt.IsRecorded && !await updates.TryMarkProcessedAsync(platform, updateId, cancellationToken))
                return BotReply.None;
            return reply;
        }
        catch (DuplicateUpdateException)
        {
            return BotReply.None;
        }
    }

    /// <summary>
    /// For commands that only read: the update is claimed before the work, in the one write it needs; a redelivery, or a
    /// delivery to the other instance, gets nothing. Were the bot to stop between the claim and the answer, the person
    /// asks again; nothing was changed to be done twice or lost.
    /// </summary>
    public async Task<BotReply> FirstAsync(string platform, string? updateId, Func<Task<BotReply>> handle, CancellationToken cancellationToken)
    {
        if (updateId is not null && !await updates.TryMarkProcessedAsync(platform, updateId, cancellationToken))
            return BotReply.None;
        return await handle();
    }
}
