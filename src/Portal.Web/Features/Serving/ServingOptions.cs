using System.ComponentModel.DataAnnotations;
using Portal.Domain.Serving;

namespace Portal.Web.Features.Serving;

/// <summary>The prediction endpoint (section <c>Serving</c>).</summary>
public sealed class ServingOptions
{
    public const string SectionName = "Serving";

    /// <summary>Most rows one predict request may carry; more is refused with 400 naming the limit.</summary>
    [Range(1, PredictionId.MaxRowsPerBatch)]
    public int MaxBatchRows { get; set; } = 1000;

    /// <summary>Largest predict or feedback body, in kilobytes.</summary>
    [Range(1, 1_048_576)]
    public int MaxRequestKilobytes { get; set; } = 16_384;

    /// <summary>How old a node's cached route (champion and active rollout of a model) may get before it is read again, in milliseconds.</summary>
    [Range(50, 60_000)]
    public int RouteRefreshMilliseconds { get; set; } = 1000;

    /// <summary>Model versions whose scoring engines a node keeps loaded (least recently used goes first).</summary>
    [Range(1, 1000)]
    public int MaxLoadedVersions { get; set; } = 8;

    /// <summary>Log every predict request (rows and outputs) for ground truth, rollout analysis and monitoring. Off only for benchmarks.</summary>
    public bool LogPredictions { get; set; } = true;

    /// <summary>Requests waiting to be logged; when full, further requests are answered but not logged (counted, warned).</summary>
    [Range(1, 1_000_000)]
    public int LogQueueCapacity { get; set; } = 10_000;

    /// <summary>Most logged requests written in one database round trip.</summary>
    [Range(1, 10_000)]
    public int LogWriteBatch { get; set; } = 2000;

    /// <summary>
    /// How long the log writer lets requests gather after the first one arrives before writing them in one transaction,
    /// in milliseconds (a full <see cref="LogWriteBatch"/> is written at once). A prediction's feedback is accepted once
    /// it is written, so this is also how soon after predicting ground truth can be posted. 0 writes whatever has arrived.
    /// </summary>
    [Range(0, 10_000)]
    public int LogFlushMilliseconds { get; set; } = 100;

    /// <summary>Most items one feedback request may carry.</summary>
    [Range(1, 100_000)]
    public int MaxFeedbackItems { get; set; } = 1000;

    public TimeSpan RouteRefresh => TimeSpan.FromMilliseconds(RouteRefreshMilliseconds);
}
