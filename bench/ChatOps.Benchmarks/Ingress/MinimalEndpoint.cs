using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChatOps.Host.Slack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace ChatOps.Benchmarks.Ingress;

/// <summary>
/// The baseline for the webhook bench and the footprint: a bare ASP.NET Core app that only checks the same Telegram
/// secret header or Slack v0 signature as the bot and parses the body, and answers <c>/health</c>. Secrets come
/// from <c>BENCH_TELEGRAM_SECRET</c> and <c>BENCH_SLACK_SECRET</c>; it stops after <c>--seconds</c>.
/// </summary>
public static class MinimalEndpoint
{
    public static async Task<int> RunAsync(string url, TimeSpan lifetime)
    {
        var telegramSecret = Environment.GetEnvironmentVariable("BENCH_TELEGRAM_SECRET") ?? "";
        var slackSecret = Environment.GetEnvironmentVariable("BENCH_SLACK_SECRET") ?? "";
        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(url);
        await using var app = builder.Build();
        app.MapGet("/health", () => Results.Text("ok"));
        app.MapPost("/telegram/webhook", async (HttpRequest request) =>
        {
            if (!SecretMatches(request.Headers["X-Telegram-Bot-Api-Secret-Token"].ToString(), telegramSecret))
                return Results.Unauthorized();
            var update = await JsonSerializer.DeserializeAsync<Update>(request.Body, JsonBotAPI.Options, request.HttpContext.RequestAborted);
            return update is null ? Results.BadRequest() : Results.Ok();
        });
        app.MapPost("/slack/commands", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            var raw = buffer.ToArray();
            var check = SlackSignature.Check(slackSecret, request.Headers[SlackSignature.TimestampHeader].ToString(),
                request.Headers[SlackSignature.SignatureHeader].ToString(), raw, DateTimeOffset.UtcNow);
            if (check != SignatureCheck.Valid)
                return Results.Unauthorized();
            var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(raw));
            return Results.Json(new { response_type = "ephemeral", text = "ok " + form["command"] });
        });
        await app.StartAsync();
        Console.WriteLine($"minimal endpoint on {url}, PID {Environment.ProcessId}, for at most {lifetime.TotalSeconds:F0} s");
        try
        {
            await Task.Delay(lifetime, app.Lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException)
        {
        }
        await app.StopAsync();
        return 0;
    }

    private static bool SecretMatches(string presented, string expected) =>
        expected.Length > 0 && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
