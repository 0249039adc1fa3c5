using ChatOps.Core.Releases;
using Telegram.Bot;

namespace ChatOps.Host.Telegram;

/// <summary>The bot's own username (from getMe), asked once: commands addressed <c>@</c> another bot are not ours.</summary>
public sealed class TelegramBotIdentity(ITelegramBotClient bot)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _username;

    public async Task<string> UsernameAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _username) is { } known)
            return known;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_username is null)
            {
                var me = await bot.GetMe(cancellationToken);
                Volatile.Write(ref _username, me.Username ?? "");
            }
            return _username!;
        }
        finally
        {
            _gate.Release();
        }
    }
}
