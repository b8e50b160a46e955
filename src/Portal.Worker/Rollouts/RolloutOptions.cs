using System.ComponentModel.DataAnnotations;

namespace Portal.Worker.Rollouts;

/// <summary>The rollout driver (section <c>Rollouts</c>): how often running rollouts are analysed, and the driver's lease on each.</summary>
public sealed class RolloutOptions
{
    public const string SectionName = "Rollouts";

    /// <summary>Run the driver in this worker. Any number of workers may: the lease decides which one drives a rollout.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often each running rollout is analysed (the demo wants a few seconds; production a minute is plenty).</summary>
    [Range(1, 3600)]
    public int IntervalSeconds { get; set; } = 5;

    /// <summary>A driver silent this long loses its rollouts to another worker; longer than the interval.</summary>
    [Range(2, 3600)]
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>Rollouts one worker drives per round.</summary>
    [Range(1, 1000)]
    public int MaxPerRound { get; set; } = 20;

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);

    public TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(LeaseSeconds, IntervalSeconds + 1));
}
