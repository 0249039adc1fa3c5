using ChatOps.Core.Ports;
using ChatOps.Host.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Serilog;

// Until the configuration is read, only the environment can ask for JSON (as the image and fly.toml do).
var bootstrap = new LoggerConfiguration();
if (string.Equals(Environment.GetEnvironmentVariable("Logging__Format"), "json", StringComparison.OrdinalIgnoreCase))
    bootstrap.WriteTo.Console(new Serilog.Formatting.Compact.CompactJsonFormatter(), standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose);
else
    bootstrap.WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose);
Log.Logger = bootstrap.CreateBootstrapLogger();
try
{
    var command = CommandLine.Parse(args);
    if (command.Help || command.Version)
    {
        Console.Out.WriteLine(command.Help ? CommandLine.HelpText : $"ChatOps.Host {ChatOpsServices.BotVersion}");
        return 0;
    }
    // `ChatOps.Host simulators`: only the loopback simulators, for scripts/container-smoke.sh (never in live mode).
    if (command.Verb == CommandLine.Simulators)
        return await RunSimulatorsAsync(command.Options);
    await using var app = await ChatOpsApp.CreateAsync(command.Options);
    if (command.Verb == CommandLine.Doctor)
        return await RunDoctorAsync(app);
    await app.Web.RunAsync();
    return 0;
}
catch (Exception e) when (SettingFailures(e) is { Count: > 0 } failures)
{
    foreach (var failure in failures)
        Log.Fatal("Configuration: {Failure}", failure);
    return 2;
}
catch (Exception e) when (Refusal(e) is { } refusal)
{
    Log.Fatal("{Refusal}", refusal);
    return 2;
}
catch (IOException e) when (e.InnerException is AddressInUseException)
{
    Log.Fatal("{Failure} Another process holds that address: stop it, or choose another with Urls (--Urls=http://127.0.0.1:8081, ASPNETCORE_URLS) or ASPNETCORE_HTTP_PORTS.", e.Message);
    return 2;
}
catch (Exception e)
{
    Log.Fatal(e, "ChatOps stopped");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

// Its own method: compiling a call to SimulatorsCommand loads ChatOps.Sandbox, and live mode must never compile one.
static Task<int> RunSimulatorsAsync(string[] args) => ChatOps.Host.Sandbox.SimulatorsCommand.RunAsync(ChatOpsApp.ReadConfiguration(args), Console.Out);

// `ChatOps.Host doctor`: the read-only checks, one row each on stdout; exit 1 when any found a problem.
static async Task<int> RunDoctorAsync(ChatOpsApp app)
{
    using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
    var checks = await app.Services.GetRequiredService<IDoctor>().CheckAsync(stop.Token);
    Console.Out.WriteLine(DoctorCheck.Report(checks));
    return DoctorCheck.ExitCode(checks);
}

static string? Refusal(Exception e) => e switch
{
    StartupRefusedException refused => refused.Message,
    AggregateException all => all.InnerExceptions.OfType<StartupRefusedException>().FirstOrDefault()?.Message,
    _ => null,
};

// Start-up validation throws one exception per options class, and wraps them together when several classes fail.
static List<string> SettingFailures(Exception e) => e switch
{
    OptionsValidationException invalid => [.. invalid.Failures],
    AggregateException all when all.InnerExceptions.All(i => i is OptionsValidationException) =>
        [.. all.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures)],
    _ => [],
};
