using System.Globalization;

namespace ChatOps.Sandbox;

internal static class FlyLeaseEndpoints
{
    public static void MapLeases(this RouteGroupBuilder apps, FlyCloud fly, MutationLog mutations)
    {
        apps.MapPost("/machines/{id}/lease", async (string app, string id, HttpRequest request) =>
        {
            if (await SandboxJson.ReadObjectAsync(request) is not { } body)
            {
                return FlyJson.Error(400, "invalid JSON body");
            }

            // fly-go passes ?ttl= and no body; the docs put ttl in the body.
            var ttl = body.GetInt("ttl")
                ?? (int.TryParse(request.Query["ttl"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var q) ? q : 30);
            var description = body.GetString("description") ?? "";
            var nonce = request.Headers[FlyEndpoints.NonceHeader].ToString();
            return fly.WithMachine(app, id, m =>
            {
                var now = DateTimeOffset.UtcNow;
                if (m.Lease is { } held && held.ExpiresAt > now)
                {
                    if (held.Nonce != nonce)
                    {
                        return FlyJson.Error(409, FlyJson.HeldBy(held));
                    }

                    // A refresh keeps the nonce and only moves the expiry.
                    m.Lease = held with { ExpiresAt = now.AddSeconds(ttl) };
                    return SandboxJson.Json(FlyJson.LeaseEnvelope(m.Lease), StatusCodes.Status201Created);
                }

                m.Lease = new FlyLease(FlyIds.Nonce(), now.AddSeconds(ttl), FlyCloud.LeaseOwner, description, m.InstanceId);
                mutations.Record("fly.lease:" + m.Id);
                return SandboxJson.Json(FlyJson.LeaseEnvelope(m.Lease), StatusCodes.Status201Created);
            });
        });

        apps.MapGet("/machines/{id}/lease", (string app, string id) =>
            fly.WithMachine(app, id, m =>
                m.Lease is { } lease && lease.ExpiresAt > DateTimeOffset.UtcNow
                    ? SandboxJson.Json(FlyJson.LeaseEnvelope(lease))
                    : FlyJson.Error(404, "lease not found")));

        apps.MapDelete("/machines/{id}/lease", (string app, string id, HttpRequest request) =>
        {
            var nonce = request.Headers[FlyEndpoints.NonceHeader].ToString();
            if (nonce.Length == 0)
            {
                return FlyJson.Error(400, $"{FlyEndpoints.NonceHeader} header is required");
            }

            return fly.WithMachine(app, id, m =>
            {
                if (m.Lease is { } lease && lease.ExpiresAt > DateTimeOffset.UtcNow && lease.Nonce != nonce)
                {
                    return FlyJson.Error(409, FlyJson.HeldBy(lease));
                }

                // Releasing a lease that already expired is not an error: the caller's finally block must not fail.
                m.Lease = null;
                return SandboxJson.Json(new { status = "success", data = new { ok = true } });
            });
        });
    }
}
