using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Steps;

/// <summary>Asks Alembic in the migrations app what is applied and what would run.</summary>
public static class MigrationPreviewer
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<MigrationPreview?> PreviewAsync(IDeployTarget target, MigrationSettings settings, CancellationToken cancellationToken)
    {
        if (settings.App.Length == 0)
            return null;
        var current = await RunAsync(target, settings.App, ["alembic", "current"], cancellationToken);
        var heads = await RunAsync(target, settings.App, ["alembic", "heads"], cancellationToken);
        var history = await RunAsync(target, settings.App, ["alembic", "history"], cancellationToken);
        var currentRevision = AlembicOutput.ParseRevision(current);
        var head = AlembicOutput.ParseRevision(heads);
        return new MigrationPreview(currentRevision, head, AlembicOutput.Pending(history, currentRevision, head));
    }

    private static async Task<string> RunAsync(IDeployTarget target, string app, string[] command, CancellationToken cancellationToken)
    {
        var result = await target.ReadAsync(app, command, Timeout, cancellationToken);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"`{string.Join(' ', command)}` exited {result.ExitCode}: {Tail(result.Stderr, 300)}");
        return result.Stdout;
    }

    public static string Tail(string text, int max)
    {
        text = text.TrimEnd();
        return text.Length <= max ? text : "…" + text[^max..];
    }
}
