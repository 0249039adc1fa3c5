using ChatOps.Host.Hosting;
using Microsoft.Extensions.Options;
using Serilog;

Log.Logger = new LoggerConfiguration().WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose).CreateBootstrapLogger();
try
{
    await using var app = await ChatOpsApp.CreateAsync(args);
    await app.Web.RunAsync();
    return 0;
}
catch (Exception e) when (SettingFailures(e) is { Count: > 0 } failures)
{
    foreach (var failure in failures)
        Log.Fatal("Configuration: {Failure}", failure);
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

// Start-up validation throws one exception per options class, and wraps them together when several classes fail.
static List<string> SettingFailures(Exception e) => e switch
{
    OptionsValidationException invalid => [.. invalid.Failures],
    AggregateException all when all.InnerExceptions.All(i => i is OptionsValidationException) =>
        [.. all.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures)],
    _ => [],
};
