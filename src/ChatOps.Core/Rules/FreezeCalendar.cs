using System.Globalization;
using ChatOps.Core.Settings;
using Cronos;

namespace ChatOps.Core.Rules;

/// <summary>One window of a freeze: why, when it opens and when it closes, written in the zone it was configured in.</summary>
public sealed record FreezeWindow(string Reason, DateTimeOffset Opens, DateTimeOffset Closes, TimeZoneInfo Zone)
{
    /// <summary>"Mon 08:00 Europe/Berlin"; a moment more than six days from <paramref name="now"/> also gets its date.</summary>
    public static string When(DateTimeOffset at, TimeZoneInfo zone, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var format = (at - now).Duration() < TimeSpan.FromDays(6) ? "ddd HH:mm" : "ddd d MMM HH:mm";
        return $"{local.ToString(format, CultureInfo.InvariantCulture)} {zone.Id}";
    }
}

/// <summary>The freeze windows of one environment, read from its <see cref="FreezeSettings"/> with Cronos; no I/O.</summary>
public sealed class FreezeCalendar
{
    // Windows that touch or overlap are one freeze; a configuration that chains more than this is treated as closing there.
    private const int MaxChained = 64;

    private readonly IReadOnlyList<Freeze> _freezes;

    private FreezeCalendar(IReadOnlyList<Freeze> freezes) => _freezes = freezes;

    public static readonly FreezeCalendar None = new([]);

    public bool IsEmpty => _freezes.Count == 0;

    /// <summary>The calendar of settings that <see cref="Problems"/> found nothing wrong with.</summary>
    public static FreezeCalendar Of(IReadOnlyList<FreezeSettings> settings) =>
        settings.Count == 0 ? None : new(settings.Select(s => new Freeze(
            CronExpression.Parse(s.Cron, CronFormat.Standard), s.Duration, TimeZoneInfo.FindSystemTimeZoneById(s.TimeZone), s.Reason.Trim())).ToList());

    /// <summary>What is wrong with each freeze, naming its key (<paramref name="key"/> is e.g. <c>ChatOps:Environments:production:Freezes</c>).</summary>
    public static IEnumerable<string> Problems(string key, IReadOnlyList<FreezeSettings> settings)
    {
        for (var i = 0; i < settings.Count; i++)
        {
            var s = settings[i];
            if (!CronExpression.TryParse(s.Cron, CronFormat.Standard, out _))
                yield return $"{key}:{i}:Cron '{s.Cron}' is not a five-field cron expression (minute hour day-of-month month day-of-week), e.g. 0 18 * * FRI.";
            if (s.Duration < TimeSpan.FromMinutes(1) || s.Duration > TimeSpan.FromDays(31))
                yield return $"{key}:{i}:Duration must be between 00:01:00 and 31.00:00:00, e.g. 2.14:00:00 (was {s.Duration}).";
            if (!IsTimeZone(s.TimeZone))
                yield return $"{key}:{i}:TimeZone '{s.TimeZone}' is not a time zone this machine knows; use an IANA name such as Europe/Berlin or UTC.";
            if (s.Reason.Trim().Length == 0)
                yield return $"{key}:{i}:Reason is missing: it is what people are told, e.g. weekend.";
        }
    }

    private static bool IsTimeZone(string id)
    {
        try
        {
            return id.Length > 0 && TimeZoneInfo.FindSystemTimeZoneById(id) is not null;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    /// <summary>The window in force at <paramref name="now"/>, closing when the environment is open again (windows that overlap are one).</summary>
    public FreezeWindow? At(DateTimeOffset now)
    {
        var current = _freezes.Select(f => f.Around(now)).OfType<FreezeWindow>().MaxBy(w => w.Closes);
        if (current is null)
            return null;
        for (var i = 0; i < MaxChained; i++)
        {
            var later = _freezes.Select(f => f.Around(current.Closes)).OfType<FreezeWindow>().MaxBy(w => w.Closes);
            if (later is null || later.Closes <= current.Closes)
                break;
            current = current with { Closes = later.Closes, Zone = later.Zone };
        }
        return current;
    }

    /// <summary>The next window to open after <paramref name="now"/>.</summary>
    public FreezeWindow? Next(DateTimeOffset now) =>
        _freezes.Select(f => f.After(now)).OfType<FreezeWindow>().MinBy(w => w.Opens) is { } next ? At(next.Opens) ?? next : null;

    private sealed record Freeze(CronExpression Cron, TimeSpan Duration, TimeZoneInfo Zone, string Reason)
    {
        // The latest opening at or before the moment; the window holds it if it has not closed by then.
        public FreezeWindow? Around(DateTimeOffset at) =>
            Cron.GetPreviousOccurrence(at, Zone, inclusive: true) is { } opens && Window(opens) is { } window && window.Closes > at ? window : null;

        public FreezeWindow? After(DateTimeOffset at) =>
            Cron.GetNextOccurrence(at, Zone, inclusive: false) is { } opens ? Window(opens) : null;

        private FreezeWindow Window(DateTimeOffset opens) => new(Reason, opens.ToUniversalTime(), ClosesAfter(opens), Zone);

        // The duration is wall-clock time where the freeze is configured: a weekend from Fri 18:00 ends Mon 08:00
        // local whether or not the clocks changed on the Sunday.
        private DateTimeOffset ClosesAfter(DateTimeOffset opens)
        {
            var local = TimeZoneInfo.ConvertTime(opens, Zone).DateTime + Duration;
            // A time the clocks skip (the spring gap) is taken as the first one after the gap.
            for (var i = 0; i < 8 && Zone.IsInvalidTime(local); i++)
                local = local.AddMinutes(15);
            // A time that happens twice (the autumn hour) is taken as the later of the two: the freeze lasts longer, not shorter.
            var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Min() : Zone.GetUtcOffset(local);
            return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset).ToUniversalTime();
        }
    }
}
