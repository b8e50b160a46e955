namespace Portal.Domain.Runs;

/// <summary>One logged metric value (append-only; a run may have millions).</summary>
public sealed class RunMetric
{
    public long Id { get; set; }

    public RunId RunId { get; set; }

    public string Key { get; set; } = "";

    public double Value { get; set; }

    public long Step { get; set; }

    public DateTime TimestampUtc { get; set; }
}
