using System.ComponentModel.DataAnnotations;
using Portal.Application.Monitoring;

namespace Portal.Worker.Monitoring;

/// <summary>The monitoring loop (section <c>Monitoring</c>): how often it reads the prediction log, how late it lets log writers be, its leases.</summary>
public sealed class MonitoringOptions
{
    public const string SectionName = "Monitoring";

    /// <summary>Run the loop in this worker. Any number of workers may: the cursor lease decides which one monitors a model.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often each monitored model's log is read.</summary>
    [Range(1, 3600)]
    public int IntervalSeconds { get; set; } = 5;

    /// <summary>A batch is consumed this long after its received time: log writers on several nodes flush late, and a batch written behind the cursor would be missed.</summary>
    [Range(0, 3600)]
    public int GraceSeconds { get; set; } = 10;

    /// <summary>A loop silent this long loses its models to another worker; longer than the interval.</summary>
    [Range(2, 3600)]
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>Batches read at a time (one window larger than this is still read whole).</summary>
    [Range(10, 1_000_000)]
    public int MaxBatchesPerRound { get; set; } = 20_000;

    /// <summary>Windows that ended this many hours ago or less have their late labels re-read every round (0: labels are read once, when the window closes).</summary>
    [Range(0, 720)]
    public double LabelRefreshHours { get; set; } = 1;

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);

    public TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(LeaseSeconds, IntervalSeconds + 1));

    public MonitoringRoundSettings Round => new(TimeSpan.FromSeconds(GraceSeconds), Lease, MaxBatchesPerRound, TimeSpan.FromHours(LabelRefreshHours));
}
