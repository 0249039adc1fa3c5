using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

public sealed partial class GitHubRepo
{
    private readonly Dictionary<string, Release> _releases = new(StringComparer.Ordinal);
    private readonly List<Deployment> _deployments = [];
    private readonly List<DeploymentStatus> _deploymentStatuses = [];

    public IReadOnlyList<string> ReleaseTags
    {
        get
        {
            lock (_gate)
            {
                return [.. _releases.Keys];
            }
        }
    }

    internal Release? GetRelease(string tag)
    {
        lock (_gate)
        {
            return _releases.GetValueOrDefault(tag);
        }
    }

    internal Release? LatestRelease()
    {
        lock (_gate)
        {
            return _releases.Values.Where(r => !r.Draft && !r.Prerelease).MaxBy(r => r.Id);
        }
    }

    // A release for a tag that does not exist yet creates that tag (lightweight) at the target, as GitHub does.
    internal Release? CreateRelease(Release draft, string commitSha)
    {
        lock (_gate)
        {
            if (_releases.ContainsKey(draft.TagName))
            {
                return null;
            }

            _refs.TryAdd("refs/tags/" + draft.TagName, commitSha);
            var release = draft with { Id = ++_nextId };
            _releases[release.TagName] = release;
            _mutations.Record("github.release:" + release.TagName);
            return release;
        }
    }

    internal Deployment CreateDeployment(string sha, string gitRef, string task, string environment, string description,
        JsonNode? payload, bool transient, bool production)
    {
        lock (_gate)
        {
            var deployment = new Deployment(++_nextId, sha, gitRef, task, environment, description, payload, transient, production,
                DateTimeOffset.UtcNow);
            _deployments.Add(deployment);
            _mutations.Record("github.deployment");
            return deployment;
        }
    }

    internal IReadOnlyList<Deployment> Deployments()
    {
        lock (_gate)
        {
            return [.. _deployments.OrderByDescending(d => d.Id)];
        }
    }

    /// <summary>Every deployment, oldest first, with its statuses in the order they were posted: what a test reads back.</summary>
    public IReadOnlyList<DeploymentView> DeploymentViews()
    {
        lock (_gate)
        {
            return [.. _deployments.OrderBy(d => d.Id).Select(d => new DeploymentView(d.Id, d.Environment, d.Ref, d.Sha,
                [.. _deploymentStatuses.Where(s => s.DeploymentId == d.Id).OrderBy(s => s.Id).Select(s => s.State)],
                _deploymentStatuses.Where(s => s.DeploymentId == d.Id).Select(s => s.EnvironmentUrl).LastOrDefault(u => u.Length > 0)))];
        }
    }

    internal DeploymentStatus? AddDeploymentStatus(long deploymentId, string state, string description, string? environment,
        string logUrl, string environmentUrl)
    {
        lock (_gate)
        {
            var deployment = _deployments.FirstOrDefault(d => d.Id == deploymentId);
            if (deployment is null)
            {
                return null;
            }

            var status = new DeploymentStatus(++_nextId, deploymentId, state, description, environment ?? deployment.Environment,
                logUrl, environmentUrl, DateTimeOffset.UtcNow);
            _deploymentStatuses.Add(status);
            return status;
        }
    }
}

public sealed record DeploymentView(long Id, string Environment, string Ref, string Sha, IReadOnlyList<string> States, string? EnvironmentUrl);
