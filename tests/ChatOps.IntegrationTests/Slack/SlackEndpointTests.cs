using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using ChatOps.Host.Hosting;
using ChatOps.Sandbox;
using Microsoft.Extensions.Options;
using static ChatOps.IntegrationTests.Slack.SlackBotHost;

namespace ChatOps.IntegrationTests.Slack;

/// <summary>The HTTP endpoints: signature and timestamp checks, the url_verification handshake, the channel allow-list.</summary>
[Collection(SlackCollection.Name)]
public sealed class SlackEndpointTests
{
    [Fact]
    public async Task A_changed_body_a_wrong_secret_a_stale_or_future_timestamp_or_no_signature_get_401_and_start_nothing()
    {
        await using var bot = await StartAsync();
        var spoiled = new[]
        {
            new SigningTweak(ChangeBody: body => body.Replace("v0.2.0", "v0.3.0", StringComparison.Ordinal)),
            new SigningTweak(Secret: "not-the-signing-secret"),
            new SigningTweak(Age: TimeSpan.FromMinutes(6)),
            new SigningTweak(Age: TimeSpan.FromMinutes(-6)),
            new SigningTweak(Unsigned: true),
        };

        foreach (var tweak in spoiled)
            Assert.Equal(401, (await bot.Slack.CommandAsync(Releaser, Channel, "/release", "v0.2.0", tweak)).Status);
        var mention = bot.Slack.NewMention(Releaser, Channel, "release v0.2.0");
        Assert.Equal(401, (await bot.Slack.EventAsync(mention, tweak: new SigningTweak(Secret: "not-the-signing-secret"))).Status);

        // A properly signed request right after goes through: the 401s were for the signatures alone.
        var whoami = await bot.ReplyToAsync(await bot.Slack.CommandAsync(Releaser, Channel, "/whoami", ""));
        Assert.Contains($"You are slack:{Releaser}", whoami.Text);
        Assert.Empty(await bot.ReleasesAsync());
        Assert.Empty(bot.Slack.Messages(Channel));
        Assert.Single(bot.Slack.HookPosts());
        Assert.Empty(bot.Sandbox.Mutations.Entries);
    }

    [Fact]
    public async Task Commands_clicks_and_mentions_from_another_workspace_get_401_and_change_nothing()
    {
        await using var bot = await StartAsync();
        await bot.Slack.CommandAsync(Releaser, Channel, "/release", "v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        var hooksBefore = bot.Slack.HookPosts().Count;
        // Another workspace where the app is installed too: Slack signs its requests with the same secret.
        bot.Slack.SendingTeamId = "T0ELSEWHERE";

        Assert.Equal(401, (await bot.Slack.CommandAsync(Releaser, Channel, "/lock", "foreign")).Status);
        Assert.Equal(401, (await bot.Slack.ClickAsync(Approver, card, "Approve migrations")).Status);
        Assert.Equal(401, (await bot.Slack.EventAsync(bot.Slack.NewMention(Releaser, Channel, "release v0.3.0"))).Status);

        // The bot's own workspace right after is served: the 401s were for the workspace alone.
        bot.Slack.SendingTeamId = SlackSimulator.TeamId;
        var whoami = await bot.ReplyToAsync(await bot.Slack.CommandAsync(Releaser, Channel, "/whoami", ""));
        Assert.Contains($"You are slack:{Releaser}", whoami.Text);
        Assert.Equal(hooksBefore + 1, bot.Slack.HookPosts().Count);
        Assert.DoesNotContain(bot.Slack.CallsTo("users.info"), c => (string?)c.Body["user"] == Approver);
        Assert.Equal(Core.Releases.ReleaseState.AwaitApproval, (await bot.ReleaseAsync(1)).State);
        Assert.Single(await bot.ReleasesAsync());
        Assert.Null((await bot.Get<Core.Store.IEnvironmentStore>().GetAsync("production", CancellationToken.None)).Lock);
    }

    [Fact]
    public async Task The_url_verification_challenge_is_echoed()
    {
        await using var bot = await StartAsync();

        var answer = await bot.Slack.UrlVerificationAsync("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");

        Assert.Equal(200, answer.Status);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", (string?)answer.Ack?["challenge"]);
    }

    [Fact]
    public async Task A_command_from_a_channel_outside_the_allow_list_is_refused_in_the_acknowledgement_and_starts_nothing()
    {
        await using var bot = await StartAsync(settings: new Dictionary<string, string?> { ["Slack:AllowedChannelIds:0"] = "C0OTHER" });

        var ack = await bot.Slack.CommandAsync(Releaser, Channel, "/release", "v0.2.0");

        Assert.Equal(200, ack.Status);
        Assert.Contains("does not take commands in this channel", ack.AckText);
        Assert.Empty(await bot.ReleasesAsync());
        Assert.Empty(bot.Slack.HookPosts());
    }

    [Fact]
    public async Task The_umbrella_command_carries_any_command_as_its_text()
    {
        await using var bot = await StartAsync();

        var help = await bot.ReplyToAsync(await bot.Slack.CommandAsync(Releaser, Channel, "/chatops", "whoami"));

        Assert.Contains($"You are slack:{Releaser}", help.Text);
        Assert.True(help.IsEphemeral);
    }

    [Fact]
    public async Task In_socket_mode_without_a_signing_secret_the_http_endpoints_are_off()
    {
        await using var bot = await StartAsync(socketMode: true, new Dictionary<string, string?> { ["Slack:SigningSecret"] = "" });
        bot.Slack.UseSocketMode = false;

        var refused = await bot.Slack.CommandAsync(Releaser, Channel, "/release", "v0.2.0");

        Assert.Equal(404, refused.Status);
        Assert.Empty(await bot.ReleasesAsync());
    }

    [Fact]
    public async Task Without_a_signing_secret_or_an_app_token_the_host_refuses_to_start_naming_the_key()
    {
        await using var slack = await SlackSimulator.StartAsync(SigningSecret);
        var settings = Settings(slack, socketMode: false, new Dictionary<string, string?> { ["Slack:SigningSecret"] = "" });

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => ChatOpsApp.CreateAsync([], settings));

        Assert.Contains(refused.Failures, f => f.Contains("Slack:SigningSecret", StringComparison.Ordinal));
    }
}
