using System.ComponentModel.DataAnnotations;

namespace Portal.Worker.Monitoring;

/// <summary>The retraining loop (section <c>Retraining</c>): how often it looks for due retrainings and advances running ones, its lease, and the data cap.</summary>
public sealed class RetrainingOptions
{
    public const string SectionName = "Retraining";

    /// <summary>Run the loop in this worker. Any number of workers may: the model's revision decides who starts one, the lease who advances it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often alerts and schedules are checked and running retrainings advanced (the demo wants a few seconds).</summary>
    [Range(1, 3600)]
    public int IntervalSeconds { get; set; } = 10;

    /// <summary>A worker silent this long loses its retrainings to another; longer than the interval.</summary>
    [Range(2, 3600)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>Most labelled rows of the prediction log one retraining trains on (the latest).</summary>
    [Range(50, 10_000_000)]
    public int MaxRows { get; set; } = 50_000;

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);

    public TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(LeaseSeconds, IntervalSeconds + 1));
}
