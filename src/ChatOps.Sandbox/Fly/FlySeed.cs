using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

internal static class FlySeed
{
    public static FlyAppState CreateApp(SandboxApp app, SandboxOptions options)
    {
        var state = new FlyAppState(app.FlyApp);
        var created = DateTimeOffset.UtcNow.AddDays(-3);
        for (var i = 0; i < app.MachineCount; i++)
        {
            var machine = new FlyMachine
            {
                Id = FlyIds.MachineId(),
                Name = FlyIds.MachineName(),
                PrivateIp = FlyIds.PrivateIp(),
                CreatedAt = created,
                UpdatedAt = created.AddMinutes(1),
                InstanceId = FlyIds.Ulid(),
                Config = Config(app.FlyApp, options.InitialTag),
            };
            machine.Events.Add(new MachineEvent("start", "started", "flyd", created.AddSeconds(4)));
            machine.Events.Add(new MachineEvent("launch", "created", "user", created));
            state.Machines.Add(machine);
        }

        if ((app.FlyApp == options.MigrationsApp || options.VolumeApps.Contains(app.FlyApp)) && state.Machines.Count > 0)
        {
            var volume = new FlyVolume { Id = FlyIds.VolumeId(), Name = "data", AttachedMachineId = state.Machines[0].Id, CreatedAt = created };
            state.Volumes.Add(volume);
            state.Machines[0].Config["mounts"] = new JsonArray(new JsonObject { ["volume"] = volume.Id, ["path"] = "/data", ["name"] = "data" });
        }

        foreach (var machine in state.Machines)
        {
            machine.Checks = FlyCloud.ConfiguredChecks(machine.Config, created.AddMinutes(1));
        }

        return state;
    }

    private static JsonObject Config(string flyApp, string tag) => (JsonObject)JsonNode.Parse($$"""
        {
          "image": "registry.fly.io/{{flyApp}}:{{tag}}",
          "env": { "APP_ENV": "production", "PORT": "8080", "PRIMARY_REGION": "ord", "FLY_PROCESS_GROUP": "app" },
          "init": {},
          "guest": { "cpu_kind": "shared", "cpus": 1, "memory_mb": 512 },
          "metadata": { "fly_platform_version": "v2", "fly_process_group": "app", "fly_release_id": "Zy6Ab2Kq", "fly_release_version": "7" },
          "services": [
            {
              "protocol": "tcp",
              "internal_port": 8080,
              "autostart": true,
              "autostop": "off",
              "min_machines_running": 1,
              "ports": [
                { "port": 80, "handlers": ["http"], "force_https": true },
                { "port": 443, "handlers": ["tls", "http"] }
              ],
              "checks": [
                { "type": "http", "port": 8080, "method": "GET", "path": "/health", "interval": "15s", "timeout": "5s", "grace_period": "10s" }
              ]
            }
          ],
          "checks": { "alive": { "type": "tcp", "port": 8080, "interval": "15s", "timeout": "10s" } },
          "restart": { "policy": "on-failure", "max_retries": 10 }
        }
        """)!;
}
