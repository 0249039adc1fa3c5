using ChatOps.Core.Store;
using Dapper;
using static ChatOps.Host.Store.Sqlite.SqliteTime;

namespace ChatOps.Host.Store.Sqlite;

public sealed class SqliteApprovals(SqliteDatabase database) : IApprovalStore
{
    private const string SelectToken = """
        SELECT token AS Token, release_id AS ReleaseId, action AS Action, gate AS Gate, plan_hash AS PlanHash,
               created_at AS CreatedAt, expires_at AS ExpiresAt, used_at AS UsedAt, used_by AS UsedBy
        FROM action_tokens
        """;

    public Task IssueAsync(ActionToken token, CancellationToken cancellationToken) =>
        database.WriteAsync((c, tx) => c.ExecuteAsync(
            """
            INSERT INTO action_tokens (token, release_id, action, gate, plan_hash, created_at, expires_at)
            VALUES (@Token, @ReleaseId, @Action, @Gate, @PlanHash, @CreatedAt, @ExpiresAt)
            """,
            new { token.Token, token.ReleaseId, Action = token.Action.ToString(), token.Gate, token.PlanHash, CreatedAt = Ms(token.CreatedAt), ExpiresAt = Ms(token.ExpiresAt) }, tx),
            cancellationToken);

    public Task<ActionToken?> FindAsync(string token, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<TokenRow>($"{SelectToken} WHERE token = @token", new { token }))?.ToToken());

    public Task<IReadOnlyList<ActionToken>> OpenAsync(long releaseId, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ActionToken>>(async c =>
            (await c.QueryAsync<TokenRow>($"{SelectToken} WHERE release_id = @releaseId AND used_at IS NULL AND expires_at > @now ORDER BY created_at",
                new { releaseId, now = Ms(now) })).Select(r => r.ToToken()).ToList());

    public Task<bool> UseAsync(string token, string user, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, tx) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<TokenRow>($"{SelectToken} WHERE token = @token", new { token }, tx);
            if (row is null || row.UsedAt is not null)
                return false;
            // Using one button of a gate voids its siblings: Approve and Reject cannot both win.
            await c.ExecuteAsync(
                "UPDATE action_tokens SET used_at = @at, used_by = CASE WHEN token = @token THEN @user ELSE 'void' END WHERE release_id = @releaseId AND gate = @gate AND used_at IS NULL",
                new { at = Ms(at), token, user, releaseId = row.ReleaseId, gate = row.Gate }, tx);
            return true;
        }, cancellationToken);

    public Task VoidAsync(long releaseId, string? gate, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE action_tokens SET used_at = @at, used_by = 'void' WHERE release_id = @releaseId AND (@gate IS NULL OR gate = @gate) AND used_at IS NULL",
            new { at = Ms(at), releaseId, gate }, tx), cancellationToken);

    private sealed record TokenRow(string Token, long ReleaseId, string Action, string Gate, string? PlanHash, long CreatedAt, long ExpiresAt, long? UsedAt, string? UsedBy)
    {
        public ActionToken ToToken() => new(Token, ReleaseId, Enum.Parse<CardAction>(Action), Gate, PlanHash, At(CreatedAt), At(ExpiresAt),
            UsedAt is { } used ? At(used) : null, UsedBy);
    }
}
