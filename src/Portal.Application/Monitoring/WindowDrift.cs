using Portal.Domain.Monitoring;
using Portal.Domain.Monitoring.Drift;

namespace Portal.Application.Monitoring;

/// <summary>
/// Drift of a window's feature values against the answering version's training reference (<see cref="DriftReferences"/>,
/// <see cref="DriftDetector"/>). A reference that cannot be had, or a comparison that fails, is a problem said in words: the
/// window is written without a drift report and raises the model-wide data-quality alert.
/// </summary>
public sealed class WindowDrift(DriftReferences references)
{
    /// <summary>The drift report, or why it could not be computed.</summary>
    public async Task<(DriftReport Report, string? Problem)> CompareAsync(MonitoredVersion version, IReadOnlyList<WindowColumn> columns, MonitoringPolicy policy,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(columns);
        DriftReferenceResult found;
        try
        {
            found = await references.GetAsync(version.Id, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (DriftReport.Empty, $"the training reference of version {version.Number} failed to load ({ex.Message})");
        }

        if (found.Reference is not { } reference)
        {
            return (DriftReport.Empty, found.Message ?? $"version {version.Number} has no training reference");
        }

        var current = columns.Select(c => c.Feature.Kind == FeatureKind.Numeric
            ? FeatureColumn.Numeric(c.Feature.Name, [.. c.Numbers])
            : FeatureColumn.Categorical(c.Feature.Name, [.. c.Values])).ToList();
        try
        {
            return (DriftDetector.Compare(reference, current, policy), null);
        }
        catch (ArgumentException ex)
        {
            return (DriftReport.Empty, ex.Message);
        }
    }
}
