using ChatOps.Core.Cards;
using ChatOps.Core.Chat;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Testing;

namespace ChatOps.Core.Tests.Commands;

/// <summary>The approvers are called where they can see it: never only in a private chat of the requester's.</summary>
public sealed class ApproverCallTests : CoreScenario
{
    private static readonly ChatChannel AlicesPrivateChat = new(SignalSurface.Channel.Platform, "alice-dm");

    private async Task RequestedInPrivateAsync(string text)
    {
        var place = new ChatPlace(AlicesPrivateChat.Id, Private: true, Listed: false, Live: false, "Test:AllowedChatIds");
        await Core.Bot.HandleAsync(new IncomingMessage(Alice, AlicesPrivateChat, text, Place: place), CancellationToken.None);
        await Core.WhenIdleAsync();
    }

    private (ChatChannel Channel, Notice Notice) CallOf(long id) =>
        Core.Surface.NoticesIn.Single(n => n.Notice.Text.Contains("waits for your approval") && n.Notice.Text.Contains($"#{id} "));

    [Fact]
    public async Task A_release_requested_in_a_private_chat_calls_the_approvers_in_the_group_chat_of_the_last_release_there()
    {
        await SayAsync(Alice, "/release v1.0.1");
        await SayAsync(Bob, "/approve 1");

        await RequestedInPrivateAsync("/release v1.1.0");

        Assert.Equal(ReleaseState.AwaitApproval, (await ReleaseAsync(2)).State);
        var (channel, call) = CallOf(2);
        Assert.Equal(SignalSurface.Channel, channel);
        Assert.Equal([Bob], call.Mentions);
        Assert.Contains("private chat", call.Text);
        Assert.Contains("/approve 2", call.Text);
    }

    [Fact]
    public async Task A_release_requested_in_a_private_chat_with_no_group_chat_known_says_no_approver_sees_the_call()
    {
        await RequestedInPrivateAsync("/release v1.1.0");

        var (channel, call) = CallOf(1);
        Assert.Equal(AlicesPrivateChat, channel);
        Assert.Contains("no approver can see this private chat", call.Text);
        Assert.Contains("/approve 1", call.Text);
    }
}
