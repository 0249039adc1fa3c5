using ChatOps.Core.Releases;

namespace ChatOps.Core.Store;

/// <summary>Incidents, at most one open per environment (the store enforces it), opened from chat or the incident tool.</summary>
public interface IIncidentStore
{
    /// <summary>Opens the incident unless one is open for its environment; returns the one open afterwards (with its id).</summary>
    Task<Incident> OpenAsync(Incident incident, CancellationToken cancellationToken);

    /// <summary>Ends the environment's open incident; returns it ended, or null when none was open.</summary>
    Task<Incident?> ResolveAsync(string environment, string resolvedBy, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <param name="Source">Who opened it: <c>chat</c>, <c>pagerduty</c> or <c>incident.io</c>.</param>
/// <param name="ExternalId">The incident tool's own id, so that its resolution ends this incident and no other.</param>
public sealed record Incident(long Id, string Environment, string Title, string? Link, string OpenedBy, string Source, string? ExternalId, DateTimeOffset OpenedAt)
{
    public DateTimeOffset? ResolvedAt { get; init; }

    public string? ResolvedBy { get; init; }

    public bool IsOpen => ResolvedAt is null;

    public IncidentNote Note() => new(Id, Title, Link, OpenedAt);

    /// <summary>"incident #3 “Checkout returns 500” (https://…)".</summary>
    public string Describe() => Note().Describe();
}
