using Portal.Domain.Runs;

namespace Portal.Application.Live;

/// <summary>A notification that a run moved: new status, progress, curve points or a log line. The database stays the truth.</summary>
public sealed record RunUpdate(Guid RunId, RunStatus Status, double Progress, string? Stage, IReadOnlyList<MetricPoint> Points, string? LogLine);
