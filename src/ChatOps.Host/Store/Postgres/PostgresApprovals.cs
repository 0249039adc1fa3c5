using ChatOps.Core.Store;
using Npgsql;

namespace ChatOps.Host.Store.Postgres;

public sealed class PostgresApprovals(PostgresDatabase database) : IApprovalStore
{
    private const string TokenColumns = "token, release_id, action, gate, plan_hash, created_at, expires_at, used_at, used_by";
    private const string InsertToken = """
        INSERT INTO action_tokens (token, release_id, action, gate, plan_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
        """;
    private const string SelectToken = $"SELECT {TokenColumns} FROM action_tokens WHERE token = $1";
    private const string SelectOpenTokens = $"""
        SELECT {TokenColumns} FROM action_tokens WHERE release_id = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY created_at, token
        """;
    // Every token of the pressed token's gate, locked in one order so that two presses on one gate queue instead of deadlocking.
    private const string LockGate = """
        SELECT sibling.token, sibling.used_at IS NULL
        FROM action_tokens pressed JOIN action_tokens sibling ON sibling.release_id = pressed.release_id AND sibling.gate = pressed.gate
        WHERE pressed.token = $1
        ORDER BY sibling.token
        FOR UPDATE OF sibling
        """;
    // Using one button of a gate voids its siblings: Approve and Reject cannot both win.
    private const string UseToken = """
        UPDATE action_tokens SET used_at = $3, used_by = CASE WHEN token = $1 THEN $2 ELSE 'void' END
        WHERE (release_id, gate) = (SELECT release_id, gate FROM action_tokens WHERE token = $1) AND used_at IS NULL
        """;
    private const string VoidTokens = """
        UPDATE action_tokens SET used_at = $3, used_by = 'void' WHERE release_id = $1 AND ($2::text IS NULL OR gate = $2) AND used_at IS NULL
        """;

    public Task IssueAsync(ActionToken token, CancellationToken cancellationToken) =>
        database.ChangeAsync(InsertToken, cancellationToken, token.Token, token.ReleaseId, token.Action.ToString(), token.Gate, token.PlanHash,
            token.CreatedAt, token.ExpiresAt);

    public async Task<ActionToken?> FindAsync(string token, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.Command(SelectToken, token);
        return await command.ReadFirstAsync(ReadToken, cancellationToken);
    }

    public async Task<IReadOnlyList<ActionToken>> OpenAsync(long releaseId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.Command(SelectOpenTokens, releaseId, now);
        return await command.ReadAllAsync(ReadToken, cancellationToken);
    }

    public Task<bool> UseAsync(string token, string user, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async connection =>
        {
            await using var lockGate = connection.Command(LockGate, token);
            var gate = await lockGate.ReadAllAsync(r => (Token: r.GetString(0), Open: r.GetBoolean(1)), cancellationToken);
            if (!gate.Any(t => t.Token == token && t.Open))
                return false;
            await using var use = connection.Command(UseToken, token, user, at);
            await use.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public Task VoidAsync(long releaseId, string? gate, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.ChangeAsync(VoidTokens, cancellationToken, releaseId, gate, at);

    private static ActionToken ReadToken(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetInt64(1), Enum.Parse<CardAction>(r.GetString(2)), r.GetString(3), r.NullableString(4),
        r.Time(5), r.Time(6), r.NullableTime(7), r.NullableString(8));
}
