using System.Globalization;

namespace ChatOps.Sandbox;

// Commits, combined status, check runs and compare.
internal static class GitHubCommitEndpoints
{
    public static void MapCommits(this RouteGroupBuilder group, GitHubRepo repo)
    {
        group.MapGet("/commits/{rev}", (string rev) =>
            repo.Resolve(rev) is { } commit
                ? SandboxJson.Json(GitHubJson.Commit(repo, commit))
                : GitHubErrors.NoCommit(rev));

        group.MapGet("/commits/{rev}/status", (string rev) =>
        {
            if (repo.Resolve(rev) is not { } commit)
            {
                return GitHubErrors.NoCommit(rev);
            }

            var statuses = repo.LatestStatuses(commit.Sha);
            return SandboxJson.Json(new
            {
                state = GitHubRepo.CombinedState(statuses),
                statuses = statuses.Select(s => GitHubJson.Status(repo, s)).ToList(),
                sha = commit.Sha,
                total_count = statuses.Count,
                repository = GitHubJson.Repository(repo),
                commit_url = $"{repo.RepoApiUrl}/commits/{commit.Sha}",
                url = $"{repo.RepoApiUrl}/commits/{commit.Sha}/status",
            });
        });

        group.MapGet("/commits/{rev}/check-runs", (string rev, HttpRequest request) =>
        {
            if (repo.Resolve(rev) is not { } commit)
            {
                return GitHubErrors.NoCommit(rev);
            }

            var filter = request.Query["filter"].ToString();
            if (filter.Length > 0 && filter is not ("latest" or "all"))
            {
                return GitHubErrors.Error(422, "Invalid request.\n\nNo subschema in \"anyOf\" matched.", "https://docs.github.com/rest/checks/runs#list-check-runs-for-a-git-reference");
            }

            IEnumerable<CheckRun> runs = repo.CheckRuns(commit.Sha, latestOnly: filter != "all");
            if (request.Query["check_name"].ToString() is { Length: > 0 } name)
            {
                runs = runs.Where(r => r.Name == name);
            }

            if (request.Query["status"].ToString() is { Length: > 0 } status)
            {
                runs = runs.Where(r => r.Status == status);
            }

            var all = runs.ToList();
            var perPage = Math.Clamp(QueryInt(request, "per_page") ?? 30, 1, 100);
            var page = Math.Max(1, QueryInt(request, "page") ?? 1);
            return SandboxJson.Json(new
            {
                total_count = all.Count,
                check_runs = all.Skip((page - 1) * perPage).Take(perPage).Select(r => GitHubJson.CheckRun(repo, r)).ToList(),
            });
        });

        group.MapGet("/compare/{**basehead}", (string basehead) =>
        {
            var parts = basehead.Split("...");
            if (parts.Length != 2 || repo.Resolve(parts[0]) is not { } baseCommit || repo.Resolve(parts[1]) is not { } headCommit)
            {
                return GitHubErrors.NotFound("https://docs.github.com/rest/commits/commits#compare-two-commits");
            }

            return SandboxJson.Json(Compare(repo, basehead, baseCommit, headCommit));
        });
    }

    private static object Compare(GitHubRepo repo, string basehead, SimCommit baseCommit, SimCommit headCommit)
    {
        var headLine = repo.Ancestry(headCommit.Sha);
        var baseLine = repo.Ancestry(baseCommit.Sha);
        var mergeBase = headLine.FirstOrDefault(c => baseLine.Any(b => b.Sha == c.Sha)) ?? baseCommit;
        var ahead = headLine.TakeWhile(c => c.Sha != mergeBase.Sha).Reverse().ToList();
        var behindBy = baseLine.TakeWhile(c => c.Sha != mergeBase.Sha).Count();
        var status = (ahead.Count, behindBy) switch
        {
            (0, 0) => "identical",
            (_, 0) => "ahead",
            (0, _) => "behind",
            _ => "diverged",
        };

        return new
        {
            url = $"{repo.RepoApiUrl}/compare/{basehead}",
            html_url = $"{repo.HtmlUrl}/compare/{basehead}",
            permalink_url = $"{repo.HtmlUrl}/compare/{baseCommit.Sha[..7]}...{headCommit.Sha[..7]}",
            diff_url = $"{repo.HtmlUrl}/compare/{basehead}.diff",
            patch_url = $"{repo.HtmlUrl}/compare/{basehead}.patch",
            base_commit = GitHubJson.Commit(repo, baseCommit),
            merge_base_commit = GitHubJson.Commit(repo, mergeBase),
            status,
            ahead_by = ahead.Count,
            behind_by = behindBy,
            total_commits = ahead.Count,
            commits = ahead.Select(c => GitHubJson.Commit(repo, c)).ToList(),
            files = ChangedFiles(mergeBase, headCommit),
        };
    }

    private static List<object> ChangedFiles(SimCommit from, SimCommit to) =>
        [.. from.Files.Keys.Union(to.Files.Keys).Order(StringComparer.Ordinal)
            .Select(path => (path, before: from.Files.GetValueOrDefault(path), after: to.Files.GetValueOrDefault(path)))
            .Where(f => f.before is null || f.after is null || GitBlob.Sha(f.before) != GitBlob.Sha(f.after))
            .Select(f => (object)new
            {
                sha = f.after is null ? null : GitBlob.Sha(f.after),
                filename = f.path,
                status = f.before is null ? "added" : f.after is null ? "removed" : "modified",
                additions = Lines(f.after),
                deletions = Lines(f.before),
                changes = Lines(f.after) + Lines(f.before),
            })];

    private static int Lines(byte[]? content) => content is null ? 0 : content.Count(b => b == (byte)'\n');

    private static int? QueryInt(HttpRequest request, string name) =>
        int.TryParse(request.Query[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
