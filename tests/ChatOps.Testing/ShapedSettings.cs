using ChatOps.Core.Domain;
using ChatOps.Core.Settings;

namespace ChatOps.Testing;

/// <summary>Environments shaped like production: two services on two machines each, migrations, smoke tests, a metrics check.</summary>
public static class ShapedSettings
{
    public static readonly ChatUser Releaser = new("test:alice");
    public static readonly ChatUser Approver = new("test:bob");
    public static readonly IReadOnlyList<string> RequiredChecks = ["test", "coverage", "ruff", "black"];

    public static string EnvironmentName(int i) => $"env{i}";

    public static ChatOpsSettings Create(int environments)
    {
        var settings = new ChatOpsSettings { DefaultEnvironment = EnvironmentName(0) };
        settings.Access.Releasers.Add(Releaser.Id);
        settings.Access.Approvers.Add(Approver.Id);
        for (var i = 0; i < environments; i++)
            settings.Environments[EnvironmentName(i)] = Environment(EnvironmentName(i));
        return settings;
    }

    private static EnvironmentSettings Environment(string name) => new()
    {
        Services = [Service(name, "api"), Service(name, "orchestrator")],
        ApiKey = "test-key",
        Migrations = new MigrationSettings { App = $"{name}-api", ExpectedTables = ["runs", "artifacts", "webhook_events"] },
        SmokeTests =
        [
            new SmokeTestSettings { Name = "chat", Method = "POST", Url = $"fake://{name}-api/v1/chat", Capture = "runId" },
            new SmokeTestSettings { Name = "run status", Url = $"fake://{name}-api/v1/runs/{{runId}}", ExpectProperty = "status" },
        ],
        Observability = new ObservabilitySettings { PrometheusUrl = "fake://prometheus", Query = "up" },
    };

    private static ServiceSettings Service(string environment, string service)
    {
        var app = $"{environment}-{service}";
        return new ServiceSettings
        {
            Name = service,
            FlyApp = app,
            Image = $"registry.fly.io/{app}:{{tag}}",
            HealthUrl = $"fake://{app}/health",
            VersionUrl = $"fake://{app}/version",
        };
    }
}
