using ChatOps.Core.Ports;
using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.Fly;

// A command run inside the release's migration machine: the preview's Alembic reads, the Migrate step's command and the
// schema check's `alembic current`.
internal sealed class FlyExec(FlyApi api)
{
    public async Task<ExecResult> ExecAsync(MigrationMachine machine, IReadOnlyList<string> command, TimeSpan timeout, bool readOnly, CancellationToken cancellationToken)
    {
        using var client = api.Open();
        var text = string.Join(' ', command);
        var seconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
        var unknown = $"`{text}` on machine {machine.Id} of {machine.App} may still be running or may have finished; check (e.g. `alembic current`) before running it again.";
        try
        {
            // A change is not retried on 5xx or timeouts: it may have run; only a 429 is safe to repeat. A read is.
            var exec = FlyApi.Machine(client, machine.App, machine.Id, "exec");
            using var response = await (readOnly ? exec : exec.OnlyRetryRateLimits())
                .WithAttemptTimeout(timeout + FlyApi.WaitGrace)
                .SendAsync(FlyApi.SystemName, HttpMethod.Post, new ExecRequest(command, seconds), cancellationToken, 408);
            if (response.StatusCode == 408)
            {
                throw new OutcomeUnknownException($"Fly gave up waiting after {seconds} s. {unknown}");
            }

            var result = await response.ReadJsonAsync<ExecResponse>(FlyApi.SystemName);
            return new ExecResult(result.ExitCode ?? 0, result.Stdout ?? "", result.Stderr ?? "");
        }
        catch (OutsideCallException ex) when (!readOnly && (ex.TimedOut || ex.StatusCode >= 500 || ex.StatusCode is null && !ex.NeverSent))
        {
            throw new OutcomeUnknownException($"{ex.Message}. {unknown}", ex);
        }
    }
}
