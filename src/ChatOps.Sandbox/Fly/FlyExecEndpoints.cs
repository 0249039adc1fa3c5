using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

internal static class FlyExecEndpoints
{
    public static void MapExec(this RouteGroupBuilder apps, FlyCloud fly, MutationLog mutations)
    {
        apps.MapPost("/machines/{id}/exec", async (string app, string id, HttpRequest request, CancellationToken cancellationToken) =>
        {
            if (await SandboxJson.ReadObjectAsync(request) is not { } body)
            {
                return FlyJson.Error(400, "invalid JSON body");
            }

            // `command` is the argv form; the deprecated `cmd` string is passed on as a single element.
            IReadOnlyList<string>? command = body["command"] is JsonArray argv
                ? [.. argv.Select(a => a?.ToString() ?? "")]
                : body.GetString("cmd") is { Length: > 0 } cmd ? [cmd] : null;
            if (command is not { Count: > 0 })
            {
                return FlyJson.Error(400, "command is required");
            }

            switch (fly.HasReached(app, id, "started", ""))
            {
                case null:
                    return FlyJson.MachineNotFound();
                case false:
                    return FlyJson.Error(400, $"failed_precondition: machine {id} is not started");
            }

            foreach (var step in SimulatedAlembic.MutatingSteps(command))
            {
                mutations.Record("fly.exec:" + step);
            }

            // The command runs in the machine's own image: its files, its migrations.
            var image = fly.ImageOf(app, id);

            var timeout = body.GetInt("timeout");
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(timeout is > 0 ? timeout.Value : 60));
            FlyExecResult result;
            try
            {
                // The profile's exec time is the machine's own start-up of the command, inside the caller's timeout.
                await Task.Delay(fly.Latency.Exec, limit.Token);
                result = await fly.ExecHandler(new FlyExecRequest(app, id, command, timeout, image), limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The command may still be running on the machine: the caller cannot know the outcome.
                return FlyJson.Error(408, "deadline_exceeded: exec timed out");
            }

            // fly-go's omitempty drops exit_code when it is 0, so clients must read a missing field as success.
            var response = new Dictionary<string, object>();
            if (result.ExitCode != 0)
            {
                response["exit_code"] = result.ExitCode;
            }

            response["exit_signal"] = 0;
            response["stdout"] = result.Stdout;
            response["stderr"] = result.Stderr;
            return SandboxJson.Json(response);
        });
    }
}
