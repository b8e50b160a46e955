namespace Portal.Data.Live;

/// <summary>
/// A row of the outbox: one live event, written in the transaction of the change it tells of. <see cref="Sequence"/>
/// grows in commit order (SQLite has one writer at a time; PostgreSQL writers take a transaction lock first), so a
/// reader that has seen sequence n has seen every event committed before it.
/// </summary>
public sealed class LiveEventRecord
{
    public long Sequence { get; set; }

    public string Topic { get; set; } = "";

    /// <summary>The event's stable name (<see cref="Domain.Live.LiveEventTypes"/>).</summary>
    public string Type { get; set; } = "";

    /// <summary>The event as JSON.</summary>
    public string Payload { get; set; } = "";

    public DateTime CreatedUtc { get; set; }
}
