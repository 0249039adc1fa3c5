using ChatOps.Core.Bake;

namespace ChatOps.Core.Settings;

public sealed class EnvironmentSettings
{
    public List<ServiceSettings> Services { get; set; } = [];
    public string ApiKey { get; set; } = "";
    public string DatabaseUrl { get; set; } = "";
    public MigrationSettings Migrations { get; set; } = new();
    public BackupSettings Backup { get; set; } = new();
    public List<SmokeTestSettings> SmokeTests { get; set; } = [];
    public ObservabilitySettings Observability { get; set; } = new();
    public bool AutoRollback { get; set; }
    public TimeSpan DeployTimeout { get; set; } = TimeSpan.FromMinutes(5);
    public DeploySettings Deploy { get; set; } = new();
    public RollbackSettings Rollback { get; set; } = new();

    /// <summary>The environment a tag must reach Released on before it may go here (empty: no promotion rule).</summary>
    public string PromoteFrom { get; set; } = "";

    /// <summary>How long the tag must have been Released on <see cref="PromoteFrom"/> before it may go here.</summary>
    public TimeSpan MinBake { get; set; } = TimeSpan.Zero;

    /// <summary>How long a release is watched under traffic after its checks before it is Released (Duration zero: not at all).</summary>
    public BakeSettings Bake { get; set; } = new();

    /// <summary>The environment's public URL, shown on its GitHub deployments (empty: none).</summary>
    public string Url { get; set; } = "";

    /// <summary>Recurring windows in which releases (never rollbacks) are refused unless an approver overrides.</summary>
    public List<FreezeSettings> Freezes { get; set; } = [];
}

public sealed class DeploySettings
{
    public const string Parallel = "parallel";
    public const string InOrder = "in-order";

    /// <summary>
    /// <c>parallel</c>: every service rolls at once (the machines of one service still one at a time);
    /// <c>in-order</c>: one service after the other, in the order of the environment's <c>Services</c>.
    /// </summary>
    public string Order { get; set; } = Parallel;

    public bool InParallel => Order != InOrder;
}

public sealed class RollbackSettings
{
    public const string Rolling = "rolling";
    public const string Immediate = "immediate";

    /// <summary>
    /// <c>rolling</c>: the rollback's redeploy takes the machines of a service one at a time, as Deploy does;
    /// <c>immediate</c>: all the machines of a service at once, for an incident where capacity matters less than time.
    /// </summary>
    public string Strategy { get; set; } = Rolling;
}

public sealed class ServiceSettings
{
    public string Name { get; set; } = "";
    public string FlyApp { get; set; } = "";
    /// <summary>Image reference with a <c>{tag}</c> placeholder, e.g. <c>registry.fly.io/my-api:{tag}</c>.</summary>
    public string Image { get; set; } = "";
    public string HealthUrl { get; set; } = "";
    public string VersionUrl { get; set; } = "";

    public string ImageFor(string tag) => Image.Replace("{tag}", tag, StringComparison.Ordinal);
}

public sealed class MigrationSettings
{
    /// <summary>Fly app whose machine runs the migration command; empty means the environment has no migrations.</summary>
    public string App { get; set; } = "";
    public string Command { get; set; } = "alembic upgrade head";
    public List<string> ExpectedTables { get; set; } = [];
    public bool SkipApprovalWhenNothingPending { get; set; } = true;
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class BackupSettings
{
    /// <summary><c>pg_dump</c> or <c>fly-snapshot</c>.</summary>
    public string Mode { get; set; } = "pg_dump";
    public string Directory { get; set; } = "backups";
    public int Keep { get; set; } = 10;
    /// <summary>For <c>fly-snapshot</c>: the app whose volume is snapshotted (defaults to the migrations app).</summary>
    public string App { get; set; } = "";
    /// <summary>The longest a pg_dump may run; the process is stopped after it.</summary>
    public TimeSpan DumpTimeout { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>The longest a restore may run, whole process and each statement.</summary>
    public TimeSpan RestoreTimeout { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>How long the restore waits for a lock the application holds before it gives up and names who holds it.</summary>
    public TimeSpan RestoreLockTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class SmokeTestSettings
{
    public string Name { get; set; } = "";
    public string Method { get; set; } = "GET";
    /// <summary>May contain <c>{name}</c> placeholders filled from values captured by earlier probes.</summary>
    public string Url { get; set; } = "";
    public string Body { get; set; } = "";
    public int ExpectStatus { get; set; } = 200;
    /// <summary>JSON property that must be present in the response; its value is captured under the same name.</summary>
    public string Capture { get; set; } = "";
    /// <summary>When set, the captured or named property must have one of these values.</summary>
    public string ExpectProperty { get; set; } = "";
    public List<string> ExpectValues { get; set; } = [];
}

public sealed class ObservabilitySettings
{
    public string PrometheusUrl { get; set; } = "";
    public string Query { get; set; } = "";
    public string LangSmithUrl { get; set; } = "";
    public string LangSmithApiKey { get; set; } = "";
    public string LangSmithProject { get; set; } = "";
    public string LangSmithRunName { get; set; } = "";

    public bool IsConfigured => PrometheusUrl.Length > 0 || LangSmithUrl.Length > 0;
}

/// <summary>
/// A recurring window in which releases to the environment are refused: it opens at each time <see cref="Cron"/> names in
/// <see cref="TimeZone"/> and lasts <see cref="Duration"/> of wall-clock time there (so "Fri 18:00 for 2.14:00:00" ends
/// Mon 08:00 local on a DST weekend too).
/// </summary>
public sealed class FreezeSettings
{
    /// <summary>Five fields (minute hour day-of-month month day-of-week), e.g. <c>0 18 * * FRI</c>.</summary>
    public string Cron { get; set; } = "";
    public TimeSpan Duration { get; set; } = TimeSpan.Zero;
    /// <summary>An IANA time zone, e.g. <c>Europe/Berlin</c>.</summary>
    public string TimeZone { get; set; } = "UTC";
    public string Reason { get; set; } = "";
}
