using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace ChatOps.Host.Hosting;

/// <summary>
/// Levels from Serilog's standard section (Serilog:MinimumLevel:Default and :Override:&lt;source&gt;), Logging:Format
/// (text or json), one sink to stderr with every secret masked.
/// </summary>
public static class ChatOpsLogging
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// The level of the one line each HTTP request gets: as Serilog's default (an error for an exception or a 5xx),
    /// except that a caller who hung up (a health probe that timed out) is not the bot failing, so it is a debug line.
    /// </summary>
    public static LogEventLevel RequestLevel(HttpContext context, double elapsedMs, Exception? error) =>
        error is OperationCanceledException && context.RequestAborted.IsCancellationRequested ? LogEventLevel.Debug
        : error is not null || context.Response.StatusCode > 499 ? LogEventLevel.Error
        : LogEventLevel.Information;

    public static void Configure(LoggerConfiguration logger, IConfiguration configuration, LogSecrets? runtimeSecrets = null)
    {
        ITextFormatter format = string.Equals(configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase)
            ? new CompactJsonFormatter()
            : new MessageTemplateTextFormatter(TextTemplate, System.Globalization.CultureInfo.InvariantCulture);
        logger.MinimumLevel.Information()
            // These log request URLs, and the Telegram API puts the bot token in the path.
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            // Polly's own telemetry repeats what OutsideCallPipeline logs (each retry, redacted) and what the caller
            // reports (the last failure), and writes that handled outcome as an Error with a stack trace.
            .MinimumLevel.Override("Polly", LogEventLevel.Fatal);
        // Only the levels are read from the Serilog section, over the defaults above: a sink named there (WriteTo) would
        // write without the masking below.
        logger.ReadFrom.Configuration(LevelsOnly(configuration));
        logger
            // Program.cs reports every start-up failure itself, in one line; the host's own report is a stack trace.
            .Filter.ByExcluding(e => e.MessageTemplate.Text == "Hosting failed to start")
            .Enrich.FromLogContext()
            // stdout belongs to the console chat; logs go to stderr.
            .WriteTo.Console(new RedactingFormatter(format, Secrets(configuration), runtimeSecrets), standardErrorFromLevel: LogEventLevel.Verbose);
    }

    private static IConfiguration LevelsOnly(IConfiguration configuration) =>
        new ConfigurationBuilder().AddInMemoryCollection(configuration.GetSection("Serilog:MinimumLevel").AsEnumerable()).Build();

    /// <summary>The values that must never reach a log line: tokens, signing secrets, and passwords in connection strings.</summary>
    public static IReadOnlyList<string> Secrets(IConfiguration configuration)
    {
        var values = ChatOpsMode.SecretNames.Values.Select(key => configuration[key]).ToList();
        values.Add(configuration["ChatOps:Environments:" + configuration["ChatOps:DefaultEnvironment"] + ":ApiKey"]);
        foreach (var env in configuration.GetSection("ChatOps:Environments").GetChildren())
        {
            values.Add(env["ApiKey"]);
            values.Add(env["Observability:LangSmithApiKey"]);
            values.Add(PasswordOf(env["DatabaseUrl"]));
        }
        values.Add(PasswordOf(configuration.GetConnectionString("ChatOps")));
        // Very short values would mask ordinary words; real secrets are longer.
        return values.Where(v => v is { Length: >= 6 }).Select(v => v!).Distinct().OrderByDescending(v => v.Length).ToList();
    }

    private static string? PasswordOf(string? connection)
    {
        if (string.IsNullOrEmpty(connection))
            return null;
        try
        {
            return TargetDatabase.TargetConnection.Parse(connection).Password;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or UriFormatException)
        {
            return null;
        }
    }

    /// <summary>Formats with the inner formatter, then masks each secret: works the same for text and compact JSON.</summary>
    private sealed class RedactingFormatter(ITextFormatter inner, IReadOnlyList<string> configured, LogSecrets? runtime) : ITextFormatter
    {
        public void Format(LogEvent logEvent, TextWriter output)
        {
            var secrets = runtime is null || runtime.IsEmpty ? configured : [.. configured.Concat(runtime.Values).OrderByDescending(v => v.Length)];
            if (secrets.Count == 0)
            {
                inner.Format(logEvent, output);
                return;
            }
            using var buffer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            inner.Format(logEvent, buffer);
            var text = buffer.ToString();
            foreach (var secret in secrets)
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            output.Write(text);
        }
    }
}
