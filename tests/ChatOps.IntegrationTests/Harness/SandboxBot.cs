using System.Text;
using ChatOps.Core.Runner;
using ChatOps.Host.Console;
using ChatOps.Host.Hosting;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Harness;

/// <summary>
/// The real host in sandbox mode, spoken to through the console adapter's command path: each line is
/// handled as if typed on stdin by a script, which waits for the work it started to settle.
/// </summary>
public sealed class SandboxBot : IAsyncDisposable
{
    private readonly StringBuilder _output;
    private readonly ChatOpsApp _app;

    private SandboxBot(ChatOpsApp app, StringBuilder output)
    {
        _app = app;
        _output = output;
    }

    public ChatOpsApp App => _app;

    public SandboxServer Sandbox => _app.Sandbox!;

    public ReleaseQueue Runner => _app.Services.GetRequiredService<ReleaseQueue>();

    public T Get<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static async Task<SandboxBot> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var output = new StringBuilder();
        var writer = new LockedWriter(output);
        var overrides = TestSettings.Sandbox();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            overrides[key] = value;
        var app = await ChatOpsApp.CreateAsync([], overrides, services =>
        {
            services.AddSingleton(new ConsoleIO(TextReader.Null, writer, interactive: false));
            services.AddSingleton<ConsoleChat>();
        });
        try
        {
            await app.Web.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new SandboxBot(app, output);
    }

    /// <summary>Alice releases the tag and Bob approves its migrations, as most scenarios begin; alice speaks afterwards.</summary>
    public async Task ReleaseApprovedAsync(string tag)
    {
        await SayAsync($"/release {tag}");
        await SayAsync("/as bob");
        await SayAsync("/approve 1");
        await SayAsync("/as alice");
    }

    /// <summary>Types one line as the current console user; returns what the bot printed because of it.</summary>
    public async Task<string> SayAsync(string line)
    {
        int start;
        lock (_output)
            start = _output.Length;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await _app.Services.GetRequiredService<ConsoleChat>().HandleLineAsync(line, timeout.Token);
        lock (_output)
            return _output.ToString(start, _output.Length - start);
    }

    public async ValueTask DisposeAsync()
    {
        // CHATOPS_TRANSCRIPTS=<dir> keeps each session's console output, for reading a failure.
        if (Environment.GetEnvironmentVariable("CHATOPS_TRANSCRIPTS") is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(Path.Combine(directory, $"session-{Guid.NewGuid():N}.txt"), Output);
        }
        await _app.Web.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class LockedWriter(StringBuilder target) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (target)
                target.Append(value);
        }

        public override void Write(string? value)
        {
            lock (target)
                target.Append(value);
        }
    }
}
