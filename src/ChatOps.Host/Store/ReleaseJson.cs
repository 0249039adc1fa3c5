using System.Text.Json;
using System.Text.Json.Serialization;
using ChatOps.Core.Releases;

namespace ChatOps.Host.Store;

/// <summary>The release record as stored: the whole record as JSON, with the queried fields also in columns.</summary>
public static class ReleaseJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        // Computed properties (Title, ChangedProduction, Duration) are derived again on load.
        IgnoreReadOnlyProperties = true,
        // Fill the dictionaries the record creates, so their case-insensitive comparers survive a reload.
        PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(Release release) => JsonSerializer.Serialize(release, Options);

    public static Release Deserialize(string json) =>
        JsonSerializer.Deserialize<Release>(json, Options) ?? throw new InvalidDataException("Empty release record.");

    /// <summary>The record with what is kept beside it laid over: the rollback that undoes it, written when that rollback started.</summary>
    public static Release Deserialize(string json, long? rolledBackBy)
    {
        var release = Deserialize(json);
        release.Outputs.RollbackReleaseId ??= rolledBackBy;
        return release;
    }

    /// <summary>
    /// The record with a pending stop request and its rollback mark laid over it; both are kept beside the record so no
    /// save erases them.
    /// </summary>
    public static Release Deserialize(string json, long? rolledBackBy, string? requestedBy, string? intent, DateTimeOffset? at)
    {
        var release = Deserialize(json, rolledBackBy);
        if (release.IsActive && requestedBy is not null && release.StopRequest is null)
            release.StopRequest = StopRequestOf(requestedBy, intent, at);
        return release;
    }

    public static StopRequest StopRequestOf(string requestedBy, string? intent, DateTimeOffset? at) =>
        new(requestedBy, Enum.TryParse<StopIntent>(intent, ignoreCase: true, out var parsed) ? parsed : StopIntent.Cancel, at);
}
