using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatOps.IntegrationTests.Slack;
using ChatOps.IntegrationTests.Telegram;
using ChatOps.Sandbox;
using CsCheck;

namespace ChatOps.IntegrationTests.Hardening;

/// <summary>Random webhook bodies through the real host: every one answered 200 or 4xx, none changes anything.</summary>
public sealed class WebhookFuzzTests
{
    private const int Samples = 150;
    private const string Secret = "fuzz_Secret-1";

    private static readonly Gen<JsonNode?> Scalar = Gen.OneOf<JsonNode?>(
        Gen.String.Select(s => (JsonNode?)JsonValue.Create(s)), Gen.Long.Select(n => (JsonNode?)JsonValue.Create(n)),
        Gen.Double.Select(d => (JsonNode?)(double.IsFinite(d) ? JsonValue.Create(d) : null)), Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)), Gen.Bool.Select(_ => (JsonNode?)null));

    // Shaped like an update, with every field possibly of the wrong type, missing, or out of range.
    private static readonly Gen<string> TelegramBody = Gen.Select(Scalar, Scalar, Scalar, Gen.String, Gen.Int, Gen.Int, Gen.Int[0, 3],
        (updateId, chatId, fromId, text, offset, length, shape) =>
        {
            var message = new JsonObject
            {
                ["message_id"] = offset,
                ["date"] = 0,
                ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = shape == 0 ? "private" : "supergroup" },
                ["from"] = new JsonObject { ["id"] = fromId, ["is_bot"] = false, ["first_name"] = text },
                ["text"] = "/" + text,
                ["entities"] = new JsonArray(new JsonObject { ["type"] = "bot_command", ["offset"] = offset, ["length"] = length }),
            };
            var update = new JsonObject { ["update_id"] = updateId };
            update[shape == 3 ? "callback_query" : "message"] = shape == 3
                ? new JsonObject { ["id"] = text, ["from"] = message["from"]!.DeepClone(), ["data"] = text, ["message"] = message }
                : message;
            return update.ToJsonString();
        });

    private static readonly Gen<string> AnyText = Gen.OneOf(Gen.String, Gen.String[0, 5000], TelegramBody.Select(b => b[..(b.Length / 2)]));

    private static List<T> Sample<T>(Gen<T> gen)
    {
        var samples = new List<T>();
        gen.Sample(x =>
        {
            samples.Add(x);
            return true;
        }, iter: Samples, threads: 1);
        return samples;
    }

    [Fact]
    public async Task Random_telegram_shaped_bodies_are_answered_200_or_4xx_and_change_nothing()
    {
        await using var bot = await TelegramBotHost.StartAsync(new Dictionary<string, string?>
        {
            ["Telegram:WebhookUrl"] = "https://bot.example.com/telegram/webhook",
            ["Telegram:WebhookSecret"] = Secret,
        });
        using var http = new HttpClient();

        foreach (var body in Sample(Gen.OneOf(TelegramBody, AnyText)))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, bot.WebhookUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", Secret);
            using var response = await http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK || (int)response.StatusCode is >= 400 and < 500, $"{response.StatusCode} for {body}");
        }

        Assert.Empty(await bot.ReleasesAsync());
        Assert.Equal(0, bot.Sandbox.Mutations.Count("fly.update"));
    }

    [Fact]
    public async Task Slack_payloads_with_bad_signatures_stale_timestamps_or_garbage_are_refused_or_ignored_and_change_nothing()
    {
        await using var bot = await SlackBotHost.StartAsync();
        var spoilers = new SigningTweak?[]
        {
            new(Secret: "not-the-secret"), new(Age: TimeSpan.FromMinutes(6)), new(Age: TimeSpan.FromMinutes(-6)), new(Unsigned: true),
            new(ChangeBody: b => b + "&x=1"),
        };
        var cases = Sample(Gen.Select(Gen.OneOf("slack/commands", "slack/interactions", "slack/events"), AnyText, Gen.Int[0, spoilers.Length - 1], Gen.Bool,
            (path, body, spoiler, signed) => (path, body, tweak: signed ? null : spoilers[spoiler])));

        foreach (var (path, body, tweak) in cases)
        {
            var form = path == "slack/events" ? body : "payload=" + Uri.EscapeDataString(body) + "&text=" + Uri.EscapeDataString(body);
            var delivery = await bot.Slack.PostSignedAsync(path, path == "slack/events" ? "application/json" : "application/x-www-form-urlencoded", form, tweak);
            Assert.True(delivery.Status is 200 or (>= 400 and < 500), $"{delivery.Status} for {path} {body}");
            if (tweak is not null)
                Assert.Equal(401, delivery.Status);
        }

        Assert.Empty(await bot.ReleasesAsync());
        Assert.Equal(0, bot.Sandbox.Mutations.Count("fly.update"));
    }
}
