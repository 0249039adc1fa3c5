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
catch (OptionsValidationException invalid)
{
    foreach (var failure in invalid.Failures)
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
