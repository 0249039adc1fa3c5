namespace ChatOps.Host.GitHub;

// The parts of GitHub's JSON the client reads; names map through the snake_case serializer.
internal sealed record GitObject(string Type, string Sha);

internal sealed record GitRef(string Ref, GitObject Object);

internal sealed record GitTag(string Sha, string Tag, GitObject Object);

internal sealed record CommitPerson(DateTimeOffset? Date);

internal sealed record CommitMessage(string Message, CommitPerson? Committer = null);

internal sealed record CommitInfo(string Sha, CommitMessage Commit, string? HtmlUrl = null);

internal sealed record Branch(string Name, CommitInfo Commit);

internal sealed record CheckRun(long Id, string Name, string Status, string? Conclusion, string? HtmlUrl = null);

internal sealed record CheckRunPage(int TotalCount, List<CheckRun> CheckRuns);

internal sealed record CommitStatus(string Context, string State, string? TargetUrl = null);

internal sealed record CombinedStatus(string State, int TotalCount, List<CommitStatus> Statuses);

internal sealed record Comparison(List<CommitInfo> Commits);

internal sealed record ContentFile(string Type, string Sha, string? Content, string? Encoding, string? HtmlUrl = null);

internal sealed record WrittenCommit(string Sha);

internal sealed record WrittenFile(string? HtmlUrl);

internal sealed record ContentWrite(WrittenCommit Commit, WrittenFile? Content = null);

internal sealed record Tagger(string Name, string Email, string Date);

internal sealed record NewTag(string Tag, string Message, string Object, string Type, Tagger Tagger);

internal sealed record NewRef(string Ref, string Sha);

internal sealed record FileWrite(string Message, string Content, string? Sha, string Branch);

internal sealed record Repository(string? HtmlUrl);

internal sealed record NewRelease(string TagName, string Name, string Body);

internal sealed record PublishedRelease(string? HtmlUrl);
