using Portal.Domain.Monitoring;

namespace Portal.Application.Monitoring;

/// <summary>Drift of a window's feature values against the answering version's training reference.</summary>
public sealed class WindowDrift
{
    /// <summary>The drift report, or why it could not be computed.</summary>
    public Task<(DriftReport Report, string? Problem)> CompareAsync(MonitoredVersion version, IReadOnlyList<WindowColumn> columns, MonitoringPolicy policy,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        _ = columns;
        _ = policy;
        _ = cancellationToken;
        return Task.FromResult<(DriftReport, string?)>((DriftReport.Empty, "the drift detector is not wired yet"));
    }
}
