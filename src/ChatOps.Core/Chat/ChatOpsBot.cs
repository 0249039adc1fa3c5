using ChatOps.Core.Commands;
using ChatOps.Core.Rules;

namespace ChatOps.Core.Chat;

/// <summary>
/// The command router: parses what people type or press and hands it to the handler that owns it. Every platform
/// adapter calls this, so the grammar and the rules are the same everywhere; who may do what is decided in
/// the rules (Core/Rules), never here.
/// </summary>
public sealed class ChatOpsBot(CommandParser parser, AccessRules access, UpdateClaims claims, ButtonPresses presses, IEnumerable<ICommandHandler> handlers)
{
    private readonly IReadOnlyList<ICommandHandler> _handlers = handlers.ToList();

    public CommandParser Parser => parser;

    public async Task<BotReply> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        var parsed = parser.Parse(message.Text);
        if (parsed.IsIgnored)
            return BotReply.None;
        // Decided before anything is read or written: a stranger's message changes nothing and calls nothing outside.
        if ((access.MayTalkIn(message.User, message.Place) ?? (IsRead(parsed.Command) ? access.MayRead(message.User, message.Place) : null)) is { } stranger)
            return new BotReply(stranger, IsRefusal: true);
        var sender = new Sender(message.User, message.Channel, message.Place);
        Func<Task<BotReply>> handle = async () => parsed.Error is { } error
            ? new BotReply(error, IsRefusal: true)
            : await HandlerOf(parsed.Command!).HandleAsync(parsed.Command!, sender, cancellationToken);
        return parsed.Error is not null || ChangesNothing(parsed.Command)
            ? await claims.FirstAsync(message.User.Platform, message.UpdateId, handle, cancellationToken)
            : await claims.OnceAsync(message.User.Platform, message.UpdateId, handle, cancellationToken);
    }

    public Task<BotReply> PressAsync(ButtonPress press, CancellationToken cancellationToken) =>
        access.MayTalkIn(press.User, press.Place) is { } stranger
            ? Task.FromResult(new BotReply(stranger, IsRefusal: true))
            : claims.OnceAsync(press.User.Platform, press.UpdateId, () => presses.PressAsync(press.Token, press.User, press.Channel, cancellationToken), cancellationToken);

    private ICommandHandler HandlerOf(ChatCommand command) =>
        _handlers.FirstOrDefault(h => h.Handles(command)) ?? throw new InvalidOperationException($"No handler takes {command.GetType().Name}.");

    private static bool IsRead(ChatCommand? command) => command is StatusCommand or HistoryCommand or PlanCommand or ReleaseCommand { DryRun: true };

    // Commands whose answer is all they do: nothing is written, so there is nothing for a redelivery to repeat.
    private static bool ChangesNothing(ChatCommand? command) =>
        IsRead(command) || command is WhoAmICommand or HelpCommand or DoctorCommand or RollbackCommand { Check: true };
}
