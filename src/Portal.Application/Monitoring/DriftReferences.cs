using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Domain.Datasets;
using Portal.Domain.Monitoring;
using Portal.Domain.Monitoring.Drift;
using Portal.Domain.Registry;

namespace Portal.Application.Monitoring;

/// <summary>Why a model version has no drift reference.</summary>
public enum DriftReferenceProblem
{
    None,
    VersionNotFound,

    /// <summary>The version's run was not trained by the portal on a dataset version (an external run).</summary>
    NoTrainingDataset,

    /// <summary>The dataset version's file is no longer in the artifact store.</summary>
    DatasetFileMissing,

    /// <summary>None of the signature's features can be measured or found in the training data.</summary>
    NoMeasurableFeatures,
}

/// <summary>A version's drift reference, or why there is none.</summary>
public sealed record DriftReferenceResult(DriftReference? Reference, DriftReferenceProblem Problem, string? Message)
{
    public static DriftReferenceResult Found(DriftReference reference) => new(reference, DriftReferenceProblem.None, null);
}

/// <summary>
/// The training reference of a model version: every row of the dataset version its run was trained on (read from the
/// content-addressed store), as columns of the signature's measured features, prepared by <see cref="DriftReference.Build"/>.
/// Kept in a small per-process cache (a cache, not state: any node rebuilds the same reference from the same immutable
/// dataset version); concurrent requests for one version share one load.
/// </summary>
public sealed class DriftReferences(IDbContextFactory<PortalDbContext> dbFactory, ContentAddressedStore store)
{
    /// <summary>Versions whose references are kept (a 100,000-row, 20-feature reference holds about 20 MB).</summary>
    public const int Capacity = 8;

    private readonly ConcurrentDictionary<ModelVersionId, Lazy<Task<DriftReferenceResult>>> cache = new();
    private readonly ConcurrentQueue<ModelVersionId> order = new();

    public async Task<DriftReferenceResult> GetAsync(ModelVersionId versionId, CancellationToken cancellationToken)
    {
        var entry = cache.GetOrAdd(versionId, id =>
        {
            order.Enqueue(id);
            return new Lazy<Task<DriftReferenceResult>>(() => LoadAsync(id, CancellationToken.None));
        });
        Trim();
        try
        {
            var result = await entry.Value.WaitAsync(cancellationToken);
            if (result.Reference is null)
            {
                // Not cached: the dataset may be uploaded again or the version re-registered.
                cache.TryRemove(new KeyValuePair<ModelVersionId, Lazy<Task<DriftReferenceResult>>>(versionId, entry));
            }

            return result;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            cache.TryRemove(new KeyValuePair<ModelVersionId, Lazy<Task<DriftReferenceResult>>>(versionId, entry));
            throw;
        }
    }

    private void Trim()
    {
        while (cache.Count > Capacity && order.TryDequeue(out var oldest))
        {
            cache.TryRemove(oldest, out _);
        }
    }

    private async Task<DriftReferenceResult> LoadAsync(ModelVersionId versionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var version = await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == versionId, cancellationToken);
        if (version is null)
        {
            return new(null, DriftReferenceProblem.VersionNotFound, "The model version does not exist.");
        }

        var datasetVersionId = await db.Runs.AsNoTracking().Where(r => r.Id == version.RunId).Select(r => r.DatasetVersionId).FirstOrDefaultAsync(cancellationToken);
        if (datasetVersionId is null)
        {
            return new(null, DriftReferenceProblem.NoTrainingDataset,
                $"Version {version.Number} was not trained by the portal on a dataset version, so there is no training data to compare with.");
        }

        var dataset = await db.DatasetVersions.AsNoTracking().FirstOrDefaultAsync(d => d.Id == datasetVersionId, cancellationToken);
        if (dataset is null || !store.Exists(dataset.Sha256))
        {
            return new(null, DriftReferenceProblem.DatasetFileMissing, $"The training data of version {version.Number} is no longer stored.");
        }

        DriftReference reference;
        await using (var csv = store.OpenRead(dataset.Sha256))
        {
            reference = await Task.Run(() => FromCsv(csv, version.InputSignature), cancellationToken);
        }

        return reference.Features.Count == 0
            ? new(null, DriftReferenceProblem.NoMeasurableFeatures, $"None of version {version.Number}'s input features is a number, text or boolean column of its training data.")
            : DriftReferenceResult.Found(reference);
    }

    /// <summary>
    /// The reference from a dataset CSV: every row, the signature's measured features matched to the header by name
    /// (ordinal, then ignoring case), cells read as <see cref="PredictionLogColumns"/> reads live values.
    /// </summary>
    public static DriftReference FromCsv(Stream csv, IReadOnlyList<InputFeature> signature)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(signature);
        using var reader = CsvReader.Create(csv, leaveOpen: true);
        var header = reader.ReadHeader();
        var measured = new List<(DriftFeature Feature, string Type, int Column)>();
        foreach (var feature in DriftFeatures.Of(signature))
        {
            var column = IndexOf(header, feature.Name, StringComparison.Ordinal);
            column = column >= 0 ? column : IndexOf(header, feature.Name, StringComparison.OrdinalIgnoreCase);
            if (column >= 0)
            {
                measured.Add((feature, signature.First(s => s.Name == feature.Name).Type, column));
            }
        }

        var numbers = measured.Select(_ => new List<double>()).ToArray();
        var categories = measured.Select(_ => new List<string?>()).ToArray();
        foreach (var record in reader.ReadRecords())
        {
            for (var f = 0; f < measured.Count; f++)
            {
                var cell = record[measured[f].Column];
                if (measured[f].Feature.Kind == FeatureKind.Numeric)
                {
                    numbers[f].Add(PredictionLogColumns.NumberFromCell(cell));
                }
                else
                {
                    categories[f].Add(PredictionLogColumns.CategoryFromCell(cell, measured[f].Type));
                }
            }
        }

        return DriftReference.Build([.. measured.Select((m, f) => m.Feature.Kind == FeatureKind.Numeric
            ? FeatureColumn.Numeric(m.Feature.Name, [.. numbers[f]])
            : FeatureColumn.Categorical(m.Feature.Name, [.. categories[f]]))]);
    }

    private static int IndexOf(IReadOnlyList<string> header, string name, StringComparison comparison)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i], name, comparison))
            {
                return i;
            }
        }

        return -1;
    }
}
