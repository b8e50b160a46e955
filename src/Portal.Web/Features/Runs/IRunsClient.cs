using Portal.Domain.Runs;

namespace Portal.Web.Features.Runs;

/// <summary>What external subscribers of <see cref="RunsHub"/> receive.</summary>
public interface IRunsClient
{
    Task RunUpdated(RunUpdateMessage update);

    /// <summary>The connection fell behind, or resumed after an update the outbox no longer holds: subscribe again for a snapshot.</summary>
    Task Resync(Guid runId);
}

/// <summary>
/// A run moved (one outbox event, <paramref name="Sequence"/>). Points may repeat ones already received in the
/// subscription's snapshot; merge by key and step. <paramref name="LogLine"/> is the last of <paramref name="LogLines"/>.
/// </summary>
public sealed record RunUpdateMessage(Guid RunId, string Status, double Progress, string? Stage, IReadOnlyList<MetricPointMessage> Points,
    string? LogLine, long Sequence, IReadOnlyList<string> LogLines, bool CurvesCleared)
{
    public static RunUpdateMessage Of(long sequence, RunChanged changed) => new(
        changed.RunId.Value, changed.Status.ToString(), changed.Progress, changed.Stage,
        [.. changed.Points.Select(p => new MetricPointMessage(p.Key, p.Value, p.Step))],
        changed.LogLines.Count > 0 ? changed.LogLines[^1].Message : changed.FailureReason,
        sequence, [.. changed.LogLines.Select(l => l.Message)], changed.CurvesCleared);
}

/// <summary>The run as stored when the subscription began: every point so far; updates follow from after <paramref name="Sequence"/>.</summary>
public sealed record RunSnapshotMessage(Guid RunId, string Status, double Progress, string? Stage, IReadOnlyList<MetricPointMessage> Points, string? FailureReason, long Sequence);

public sealed record MetricPointMessage(string Key, double Value, long Step);
