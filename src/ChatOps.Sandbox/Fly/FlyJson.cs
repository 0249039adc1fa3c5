namespace ChatOps.Sandbox;

internal static class FlyJson
{
    public static IResult Error(int status, string error) => SandboxJson.Json(new { error, status = "unknown" }, status);

    public static IResult MachineNotFound() => Error(404, "machine not found");

    /// <summary>The body of a machine create or update: its config with an image the registry holds, or the error Fly answers.</summary>
    public static async Task<(MachineRequest? Machine, IResult? Refused)> ReadMachineRequestAsync(HttpRequest request, FlyCloud fly)
    {
        if (await SandboxJson.ReadObjectAsync(request) is not { } body)
            return (null, Error(400, "invalid JSON body"));
        if (body["config"] is not System.Text.Json.Nodes.JsonObject config || config.GetString("image") is not { Length: > 0 } image)
            return (null, Error(400, "invalid config: image is required"));
        return fly.Registry.IsPushed(image) ? (new MachineRequest(body, config, image), null) : (null, UnknownImage(image));
    }

    // flyd resolves config.image before it creates or updates a machine. The exact status and body real Fly gives
    // for a tag never pushed are not verified offline; 422 with the resolver's message is the best reading of it.
    public static IResult UnknownImage(string image) =>
        SandboxJson.Json(new { error = $"failed to resolve image: manifest unknown: {image}" }, 422);

    // `summary` drops config, checks, events and nonce, as the list endpoint does.
    public static Dictionary<string, object?> Machine(FlyMachine m, bool summary = false)
    {
        var image = ImageRef.Parse(m.Image);
        var json = new Dictionary<string, object?>
        {
            ["id"] = m.Id,
            ["name"] = m.Name,
            ["state"] = m.State,
            ["region"] = m.Region,
            ["instance_id"] = m.InstanceId,
            ["version"] = m.InstanceId,
            ["private_ip"] = m.PrivateIp,
            ["created_at"] = SandboxJson.Iso(m.CreatedAt),
            ["updated_at"] = SandboxJson.Iso(m.UpdatedAt),
            ["image_ref"] = new
            {
                registry = image.Registry,
                repository = image.Repository,
                tag = image.Tag,
                digest = m.Digest ?? image.Digest,
                labels = new Dictionary<string, string>(),
            },
            ["host_status"] = "ok",
            ["cordoned"] = false,
        };
        if (!summary)
        {
            json["config"] = m.Config.DeepClone();
            json["checks"] = m.Checks.Select(c => new { name = c.Name, status = c.Status, output = c.Output, updated_at = SandboxJson.Iso(c.UpdatedAt) }).ToList();
            json["events"] = m.Events.Select(Event).ToList();
            json["nonce"] = "";
        }

        return json;
    }

    // An exit event carries the main process's end under request.exit_event, as flyd reports it.
    private static Dictionary<string, object> Event(MachineEvent e)
    {
        var json = new Dictionary<string, object>
        {
            ["type"] = e.Type,
            ["status"] = e.Status,
            ["source"] = e.Source,
            ["timestamp"] = e.At.ToUnixTimeMilliseconds(),
        };
        if (e.ExitCode is { } code)
        {
            json["request"] = new { exit_event = new { exit_code = code, oom_killed = false, requested_stop = false } };
        }

        return json;
    }

    public static object LeaseEnvelope(FlyLease lease) => new
    {
        status = "success",
        data = new
        {
            nonce = lease.Nonce,
            expires_at = lease.ExpiresAt.ToUnixTimeSeconds(),
            owner = lease.Owner,
            description = lease.Description,
            version = lease.Version,
        },
    };

    public static string HeldBy(FlyLease lease) => $"lease currently held by {lease.Owner}, expires at {SandboxJson.Iso(lease.ExpiresAt)}";

    public static object Volume(FlyVolume v) => new
    {
        id = v.Id,
        name = v.Name,
        state = v.State,
        size_gb = v.SizeGb,
        region = "ord",
        zone = "4f2a",
        encrypted = true,
        attached_machine_id = v.AttachedMachineId,
        attached_alloc_id = (string?)null,
        created_at = SandboxJson.Iso(v.CreatedAt),
        blocks = 2_555_904,
        block_size = 4096,
        blocks_free = 2_411_234,
        blocks_avail = 2_280_123,
        fstype = "ext4",
        snapshot_retention = 5,
        auto_backup_enabled = true,
        host_dedication_id = "",
    };

    public static object Snapshot(FlySnapshot s, int volumeSize) => new
    {
        id = s.Id,
        size = s.Size,
        digest = s.Digest,
        created_at = SandboxJson.Iso(s.CreatedAt),
        status = "created",
        retention_days = 5,
        volume_size = volumeSize,
    };
}

internal sealed record MachineRequest(System.Text.Json.Nodes.JsonObject Body, System.Text.Json.Nodes.JsonObject Config, string Image);
