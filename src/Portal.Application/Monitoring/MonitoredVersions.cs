using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Datasets;
using Portal.Data;
using Portal.Domain.Datasets;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Runs;

namespace Portal.Application.Monitoring;

/// <summary>
/// Reads what the loop needs of a model version (<see cref="MonitoredVersion"/>) from its run and the training dataset version's
/// profile, once per version: a version never changes after registration. A profile that cannot be read leaves the version
/// monitored without data-quality bounds, and says why.
/// </summary>
public sealed class MonitoredVersions
{
    private const int ScoreBuckets = 10;
    private readonly ConcurrentDictionary<ModelVersionId, MonitoredVersion> cache = new();

    public async Task<MonitoredVersion> GetAsync(PortalDbContext db, ModelVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(version);
        if (cache.TryGetValue(version.Id, out var known))
        {
            return known;
        }

        var loaded = await LoadAsync(db, version, cancellationToken);
        // A version whose reference failed is read again next time: the failure may be passing (a file being restored).
        return loaded.ReferenceProblem is null ? cache.GetOrAdd(version.Id, loaded) : loaded;
    }

    private static async Task<MonitoredVersion> LoadAsync(PortalDbContext db, ModelVersion version, CancellationToken cancellationToken)
    {
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == version.RunId)
            .Select(r => new { r.Task, r.LabelColumn, r.DatasetVersionId }).FirstOrDefaultAsync(cancellationToken);
        var task = run?.Task ?? MlTask.Binary;
        var datasetVersionId = run?.DatasetVersionId ?? version.DatasetVersionIds.FirstOrDefault();
        IReadOnlyList<ColumnProfile> profile = [];
        string? problem = null;
        try
        {
            var json = datasetVersionId == default
                ? null
                : await db.DatasetVersions.AsNoTracking().Where(d => d.Id == datasetVersionId).Select(d => d.ProfileJson).FirstOrDefaultAsync(cancellationToken);
            if (json is null)
            {
                problem = $"Version {version.Number} names no training dataset version in Portal: data quality has no training profile to compare with.";
            }
            else
            {
                profile = System.Text.Json.JsonSerializer.Deserialize<List<ColumnProfile>>(json, DatasetProfiles.Json) ?? [];
            }
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException)
        {
            problem = $"The training profile of version {version.Number} could not be read: {ex.Message}";
        }

        var byName = profile.GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var features = new List<MonitoredFeature>();
        foreach (var input in version.InputSignature)
        {
            if (KindOf(input.Type) is not { } kind)
            {
                continue;
            }

            byName.TryGetValue(input.Name, out var column);
            features.Add(kind == FeatureKind.Numeric
                ? new MonitoredFeature(input.Name, kind, column?.Numeric?.Min, column?.Numeric?.Max, null)
                : new MonitoredFeature(input.Name, kind, null, null, input.Type == "Boolean" ? null : KnownValues(column)));
        }

        var (accuracy, mae) = MonitoredVersion.ValidationMetric(version, task);
        var label = run?.LabelColumn is { } name && byName.TryGetValue(name, out var labelColumn) ? labelColumn.Numeric : null;
        return new MonitoredVersion(version.Id, version.Number, task, features, accuracy, mae, Edges(label), problem);
    }

    /// <summary>Which inputs are judged, and how: the drift rule's (<see cref="DriftFeatures.KindOf"/>), so quality and drift cover the same features.</summary>
    public static FeatureKind? KindOf(string signatureType) => DriftFeatures.KindOf(signatureType);

    /// <summary>The training values of a categorical column, when its profile lists them all (at most ten, exact counts).</summary>
    private static HashSet<string>? KnownValues(ColumnProfile? column) =>
        column is { TopValuesAreApproximate: false, DistinctIsEstimate: false } && column.Distinct <= column.TopValues.Count
            ? column.TopValues.Select(v => v.Value).ToHashSet(StringComparer.Ordinal)
            : null;

    /// <summary>Ten equal buckets over the training label's range (regression); empty when the label was not profiled.</summary>
    private static double[] Edges(NumericSummary? label)
    {
        if (label is null || !double.IsFinite(label.Min) || !double.IsFinite(label.Max) || label.Max <= label.Min)
        {
            return [];
        }

        var width = (label.Max - label.Min) / ScoreBuckets;
        return [.. Enumerable.Range(0, ScoreBuckets + 1).Select(i => label.Min + (i * width))];
    }
}
