using System.Text;
using ChatOps.Host.Console;
using ChatOps.Host.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Harness;

/// <summary>
/// The real host in sandbox mode, spoken to through the console adapter's command path: each line is
/// handled as if typed on stdin by a script, which waits for the work it started to settle.
/// </summary>
public sealed class SandboxBot : BotHost
{
    private readonly StringBuilder _output;

    private SandboxBot(ChatOpsApp app, StringBuilder output)
        : base(app) => _output = output;

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
        var app = await StartAppAsync(new Dictionary<string, string?>(), settings, services =>
        {
            services.AddSingleton(new ConsoleIO(TextReader.Null, writer, interactive: false));
            services.AddSingleton<ConsoleChat>();
        });
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
        await Services.GetRequiredService<ConsoleChat>().HandleLineAsync(line, timeout.Token);
        lock (_output)
            return _output.ToString(start, _output.Length - start);
    }

    /// <summary>
    /// Types a command that asks for a second press and presses its "Yes, …" (button [1]) as the same person; returns
    /// both outputs. A command refused at once is not followed by a press, so no other button is pressed by mistake.
    /// </summary>
    public async Task<string> SayConfirmedAsync(string line)
    {
        var asked = await SayAsync(line);
        return asked.Contains("[1] Yes, ", StringComparison.Ordinal) ? asked + await SayAsync("1") : asked;
    }

    protected override string Scene() => $"The console shows:\n{Output}";

    protected override async ValueTask OnStoppedAsync()
    {
        // CHATOPS_TRANSCRIPTS=<dir> keeps each session's console output, for reading a failure.
        if (Environment.GetEnvironmentVariable("CHATOPS_TRANSCRIPTS") is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(Path.Combine(directory, $"session-{Guid.NewGuid():N}.txt"), Output);
        }
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
