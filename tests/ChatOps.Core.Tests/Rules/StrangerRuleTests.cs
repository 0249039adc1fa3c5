using ChatOps.Core.Chat;
using ChatOps.Core.Commands;
using ChatOps.Core.Domain;
using ChatOps.Core.Rules;
using ChatOps.Core.Settings;
using ChatOps.Testing;

namespace ChatOps.Core.Tests.Rules;

/// <summary>Live, the bot serves allowed chats and people with a role; everyone else gets one reply and nothing happens.</summary>
public sealed class StrangerRuleTests : IAsyncLifetime
{
    private static readonly ChatUser Stranger = new("test:mallory");
    private static readonly ChatPlace AllowedGroup = new("-100", Private: false, Listed: true, Live: true, "Test:AllowedChatIds");
    private static readonly ChatPlace OtherGroup = new("-200", Private: false, Listed: false, Live: true, "Test:AllowedChatIds");
    private static readonly ChatPlace PrivateChat = new("77", Private: true, Listed: false, Live: true, "Test:AllowedChatIds");
    private CoreRig _core = null!;

    public Task InitializeAsync()
    {
        _core = new CoreRig(ShapedSettings.Create(1));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _core.DisposeAsync();

    private Task<BotReply> SayAsync(ChatUser user, ChatPlace place, string text) =>
        _core.Bot.HandleAsync(new IncomingMessage(user, SignalSurface.Channel, text, Guid.NewGuid().ToString("N"), place), CancellationToken.None);

    [Fact]
    public async Task A_chat_off_the_allow_list_gets_its_id_and_how_to_allow_it_and_nothing_is_recorded()
    {
        var reply = await SayAsync(ShapedSettings.Releaser, OtherGroup, "/release v0.2.0");

        Assert.True(reply.IsRefusal);
        Assert.Contains("-200", reply.Text);
        Assert.Contains("Test:AllowedChatIds", reply.Text);
        Assert.Empty(await _core.Store.Releases.EventsAsync(null, null, 100, CancellationToken.None));
        Assert.Empty(await _core.Store.Releases.ListAsync(null, activeOnly: false, 10, CancellationToken.None));
    }

    [Theory]
    [InlineData("/history")]
    [InlineData("/status 1")]
    [InlineData("/plan")]
    [InlineData("/release v0.2.0 --dry-run")]
    [InlineData("/whoami")]
    public async Task A_private_chat_is_refused_to_someone_without_a_role(string text)
    {
        var reply = await SayAsync(Stranger, PrivateChat, text);

        Assert.True(reply.IsRefusal);
        Assert.Contains("only for people with a role", reply.Text);
    }

    [Fact]
    public async Task A_private_chat_is_served_to_someone_with_a_role()
    {
        var reply = await SayAsync(ShapedSettings.Releaser, PrivateChat, "/whoami");

        Assert.Contains("Roles: releaser", reply.Text);
    }

    [Fact]
    public async Task Read_commands_are_open_to_anyone_in_an_allowed_chat()
    {
        var reply = await SayAsync(Stranger, AllowedGroup, "/history");

        Assert.False(reply.IsRefusal);
    }

    [Fact]
    public async Task A_button_pressed_in_a_chat_off_the_allow_list_is_refused_before_it_is_looked_up()
    {
        var reply = await _core.Bot.PressAsync(new ButtonPress(ShapedSettings.Approver, SignalSurface.Channel, "token", "u1", OtherGroup), CancellationToken.None);

        Assert.Contains("-200", reply.Text);
        Assert.Empty(await _core.Store.Releases.EventsAsync(null, null, 100, CancellationToken.None));
    }

    [Fact]
    public void The_id_telegram_gives_every_anonymous_admin_can_never_hold_a_role()
    {
        var refusals = AccessRules.NeverGranted(new Settings.AccessSettings { Approvers = ["telegram:1087968824", "telegram:5"] });

        Assert.Contains("anonymous group admin", Assert.Single(refusals));
    }
}
