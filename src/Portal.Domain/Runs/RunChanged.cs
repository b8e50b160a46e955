using Portal.Domain.Live;

namespace Portal.Domain.Runs;

/// <summary>
/// A run moved: its status and progress as of the change, the curve points and log lines the change wrote, and why it
/// failed or stopped when it ended. Points may repeat ones a subscriber read from its snapshot: merge by key and step.
/// <see cref="CurvesCleared"/>: a new training began and dropped the interrupted one's points.
/// </summary>
public sealed record RunChanged(
    RunId RunId,
    RunStatus Status,
    double Progress,
    string? Stage,
    IReadOnlyList<MetricPoint> Points,
    IReadOnlyList<RunChangedLogLine> LogLines,
    string? FailureReason,
    bool CurvesCleared = false) : ILiveEvent
{
    public string Topic => LiveTopics.Run(RunId);

    /// <summary>Whether the run ended with this change (its final metrics and diagnostics are then stored).</summary>
    public bool Ended => Status is not (RunStatus.Queued or RunStatus.Running);
}

/// <summary>A log line as written with the change; the time (to the microsecond) tells a repeat of a line already read.</summary>
public sealed record RunChangedLogLine(DateTime TimestampUtc, string Message);
