namespace Portal.Domain.Runs;

/// <summary>A line of a run's log (what the worker did and what ML.NET said).</summary>
public sealed class RunLogLine
{
    public const int MaxMessageLength = 4000;

    public long Id { get; set; }

    public RunId RunId { get; set; }

    public DateTime TimestampUtc { get; set; }

    public string Message { get; set; } = "";

    /// <summary>A line's time as both providers keep it (to the microsecond), so a live copy matches the stored one.</summary>
    public static DateTime Stamp(DateTimeOffset now) => new(now.UtcTicks - (now.UtcTicks % 10), DateTimeKind.Utc);
}
