using System.ComponentModel.DataAnnotations;

namespace Portal.Worker.Training;

/// <summary>The training host (section <c>Training</c>).</summary>
public sealed class TrainingOptions
{
    public const string SectionName = "Training";

    /// <summary>Runs trained at the same time by this worker.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 1;

    /// <summary>A claimed run's lease; renewed while training. A worker silent this long loses the run.</summary>
    [Range(5, 3600)]
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>How often an idle worker looks for queued runs and expired leases (a submission also wakes it).</summary>
    [Range(1, 300)]
    public int PollSeconds { get; set; } = 2;

    /// <summary>How often curve points are written and pushed while training; 0 writes and pushes every report at once.</summary>
    [Range(0, 10_000)]
    public int FlushMilliseconds { get; set; } = 400;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
}
