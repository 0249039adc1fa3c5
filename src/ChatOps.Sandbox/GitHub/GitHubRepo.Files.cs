using System.Text;

namespace ChatOps.Sandbox;

public sealed partial class GitHubRepo
{
    // Decoded text of a file on the default branch, or null when it does not exist.
    public string? ReadFile(string path)
    {
        lock (_gate)
        {
            return _commits[_refs[BranchRef]].Files.TryGetValue(path, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
        }
    }

    internal bool BranchExists(string branch)
    {
        lock (_gate)
        {
            return _refs.ContainsKey("refs/heads/" + branch);
        }
    }

    // One commit per write, as the contents API does; the new head gets passing checks like any push.
    internal (WriteOutcome Outcome, SimCommit? Commit, string? CurrentSha) PutFile(
        string branch, string path, byte[] content, string message, string? sha)
    {
        lock (_gate)
        {
            var branchRef = "refs/heads/" + branch;
            var head = _commits[_refs[branchRef]];
            var exists = head.Files.TryGetValue(path, out var current);
            if (exists && sha is null)
            {
                return (WriteOutcome.ShaMissing, null, null);
            }

            var currentSha = exists ? GitBlob.Sha(current!) : null;
            if (exists && sha != currentSha)
            {
                return (WriteOutcome.ShaMismatch, null, currentSha);
            }

            var files = new Dictionary<string, byte[]>(head.Files, StringComparer.Ordinal) { [path] = content };
            var commit = AppendCommit(head, message, files, DateTimeOffset.UtcNow, branchRef);
            _mutations.Record("github.contents:" + path);
            return (exists ? WriteOutcome.Updated : WriteOutcome.Created, commit, currentSha);
        }
    }
}
