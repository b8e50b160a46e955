using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Datasets;
using Portal.Domain.Lineage;
using Portal.Domain.Privacy;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Runs;

namespace Portal.Application.Privacy;

/// <summary>A dataset version holding the subject (or the version asked about).</summary>
public sealed record ImpactedDatasetVersion(DatasetVersionId VersionId, DatasetId DatasetId, string Dataset, int Version, long Rows, DateTime CreatedUtc,
    bool Purged, bool MarkedForErasure);

/// <summary>A run trained on one of those versions.</summary>
public sealed record ImpactedRun(RunId RunId, string Experiment, DatasetVersionId DatasetVersionId, RunStatus Status, string SubmittedBy, DateTime SubmittedUtc);

/// <summary>A model version learned from one of those versions (directly or through its run).</summary>
public sealed record ImpactedModelVersion(ModelVersionId VersionId, RegisteredModelId ModelId, string Model, int Number, ModelStage Stage, RunId RunId);

/// <summary>A live deployment of an affected version: the Production version, or the canary of an active rollout.</summary>
public sealed record LiveDeployment(RegisteredModelId ModelId, string Model, int Number, string Kind, RolloutId? RolloutId, int? CanaryPercent);

/// <summary>
/// The erasure impact of a data subject or a dataset version: every dataset version containing it, every run trained on those,
/// every model version and every live deployment. For a subject, <see cref="KeyHash"/> is the keyed hash searched (never the
/// value); <see cref="IndexesSearched"/> says how many column indexes were searched and <see cref="VersionsWithoutUsableIndex"/>
/// how many versions with such a column could not be (no index yet, or built under another key).
/// </summary>
public sealed record ErasureImpactReport(string? Column, string? KeyHash, DatasetVersionId? AskedVersionId, int IndexesSearched, int VersionsWithoutUsableIndex,
    IReadOnlyList<ImpactedDatasetVersion> DatasetVersions, IReadOnlyList<ImpactedRun> Runs, IReadOnlyList<ImpactedModelVersion> ModelVersions,
    IReadOnlyList<LiveDeployment> LiveDeployments);

/// <summary>
/// Finds what an erasure touches without reading any dataset: a subject's value is hashed once with the index key and looked up by
/// binary search in each index file of the chosen column name; from the versions found, runs (by their dataset version), model
/// versions (by their training data or run) and live deployments (Production, or the canary of an active rollout).
/// </summary>
public sealed class ErasureImpact(IDbContextFactory<PortalDbContext> dbFactory, SubjectIndexStore indexes, SubjectKeyProvider keys)
{
    public const int MaxColumnLength = 256;

    public const int MaxValueLength = 1024;

    /// <summary>The impact of the subject whose value in <paramref name="column"/> is <paramref name="value"/>; refused for a blank column or value.</summary>
    public async Task<OperationResult<ErasureImpactReport>> OfSubjectAsync(string? column, string? value, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(column) || column.Length > MaxColumnLength)
        {
            return OperationResult<ErasureImpactReport>.Fail(OperationStatus.Invalid, $"column is required: the name of the key column (at most {MaxColumnLength} characters).");
        }

        if (keys.Configured is not { } key)
        {
            return OperationResult<ErasureImpactReport>.Fail(OperationStatus.Conflict, SubjectKeyProvider.NotConfigured);
        }

        if (value is null || value.Length > MaxValueLength || key.Hash(value) is not { } hash)
        {
            return OperationResult<ErasureImpactReport>.Fail(OperationStatus.Invalid,
                $"value is required: the data subject's key (not blank, at most {MaxValueLength} characters).");
        }

        return OperationResult<ErasureImpactReport>.Ok(await OfKeyHashAsync(column.Trim(), hash, cancellationToken));
    }

    /// <summary>
    /// The impact of the subject whose keyed hash in <paramref name="column"/> is <paramref name="keyHash"/> (16 hex digits, as a report
    /// or an erasure request carries it): the hash, unlike the value, may travel in a link. Refused when it is not such a hash.
    /// </summary>
    public async Task<OperationResult<ErasureImpactReport>> OfKeyHashAsync(string? column, string? keyHash, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(column) || column.Length > MaxColumnLength)
        {
            return OperationResult<ErasureImpactReport>.Fail(OperationStatus.Invalid, $"column is required: the name of the key column (at most {MaxColumnLength} characters).");
        }

        if (keyHash is not { Length: 16 } || !ulong.TryParse(keyHash, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var hash))
        {
            return OperationResult<ErasureImpactReport>.Fail(OperationStatus.Invalid, "keyHash must be the 16 hexadecimal digits an impact report gives.");
        }

        if (keys.Configured is null)
        {
            return OperationResult<ErasureImpactReport>.Fail(OperationStatus.Conflict, SubjectKeyProvider.NotConfigured);
        }

        return OperationResult<ErasureImpactReport>.Ok(await OfKeyHashAsync(column.Trim(), hash, cancellationToken));
    }

    private async Task<ErasureImpactReport> OfKeyHashAsync(string name, ulong hash, CancellationToken cancellationToken)
    {
        var key = keys.Key;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var files = await db.DatasetSubjectIndexes.AsNoTracking().Where(i => i.ColumnName == name)
            .Select(i => new { i.DatasetVersionId, i.RelativePath, i.KeyId }).ToListAsync(cancellationToken);
        var usable = files.Where(f => f.KeyId == key.KeyId).ToList();
        var hits = await Task.Run(() => usable.Where(f => SubjectIndexFile.Contains(indexes.Resolve(f.RelativePath), hash))
            .Select(f => f.DatasetVersionId).Distinct().ToList(), cancellationToken);
        var withColumn = await db.DatasetColumns.AsNoTracking().Where(c => c.Name == name).Select(c => c.DatasetVersionId).Distinct().CountAsync(cancellationToken);
        var searched = usable.Select(f => f.DatasetVersionId).Distinct().Count();
        return await ChainAsync(db, name, SubjectKey.Format(hash), null, usable.Count, Math.Max(0, withColumn - searched), hits, cancellationToken);
    }

    /// <summary>The impact of a whole dataset version; 404 when there is none.</summary>
    public async Task<OperationResult<ErasureImpactReport>> OfVersionAsync(DatasetVersionId versionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.DatasetVersions.AnyAsync(v => v.Id == versionId, cancellationToken))
        {
            return OperationResult<ErasureImpactReport>.Fail(OperationStatus.NotFound, $"There is no dataset version {versionId}.");
        }

        return OperationResult<ErasureImpactReport>.Ok(await ChainAsync(db, null, null, versionId, 0, 0, [versionId], cancellationToken));
    }

    /// <summary>Every erasure request, newest first, each with the impact of the versions it marked (the erasure register).</summary>
    public async Task<IReadOnlyList<(ErasureRequest Request, ErasureImpactReport Impact)>> RegisterAsync(int max, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var requests = await db.ErasureRequests.AsNoTracking().OrderByDescending(r => r.RequestedUtc).Take(max).ToListAsync(cancellationToken);
        var register = new List<(ErasureRequest, ErasureImpactReport)>();
        foreach (var request in requests)
        {
            register.Add((request, await ChainAsync(db, request.KeyColumn, request.KeyHash, null, 0, 0, [.. request.DatasetVersionIds], cancellationToken)));
        }

        return register;
    }

    private static async Task<ErasureImpactReport> ChainAsync(PortalDbContext db, string? column, string? keyHash, DatasetVersionId? asked, int searched,
        int unusable, List<DatasetVersionId> versionIds, CancellationToken cancellationToken)
    {
        var versions = new List<ImpactedDatasetVersion>();
        foreach (var chunk in versionIds.Chunk(500))
        {
            versions.AddRange(await db.DatasetVersions.AsNoTracking().Where(v => chunk.Contains(v.Id))
                .Join(db.Datasets, v => v.DatasetId, d => d.Id, (v, d) => new ImpactedDatasetVersion(v.Id, d.Id, d.Name, v.Version, v.RowCount, v.CreatedUtc,
                    v.PurgedUtc != null, v.ErasureMarkedUtc != null))
                .ToListAsync(cancellationToken));
        }

        var runs = new List<ImpactedRun>();
        foreach (var chunk in versionIds.Chunk(500))
        {
            var chunkIds = chunk.Select(id => (DatasetVersionId?)id).ToList();
            runs.AddRange(await db.Runs.AsNoTracking().Where(r => chunkIds.Contains(r.DatasetVersionId))
                .Join(db.Experiments, r => r.ExperimentId, e => e.Id, (r, e) => new ImpactedRun(r.Id, e.Name, r.DatasetVersionId!.Value, r.Status, r.SubmittedByName,
                    r.SubmittedUtc))
                .ToListAsync(cancellationToken));
        }

        // A model version learned from the data through its run: a managed run's own dataset version, or the data an external run's
        // registration named — both stored as used-by edges of the lineage graph (one index seek per chunk, no scan of the registry).
        var affectedRuns = runs.Select(r => r.RunId).ToHashSet();
        foreach (var chunk in versionIds.Select(id => LineageDerivation.Node(id).Id).Chunk(500))
        {
            var usedBy = await db.LineageEdges.AsNoTracking()
                .Where(e => e.FromKind == LineageNodeKind.DatasetVersion && chunk.Contains(e.FromId) && e.ToKind == LineageNodeKind.Run && e.Kind == LineageEdgeKind.UsedBy)
                .Select(e => e.ToId).ToListAsync(cancellationToken);
            affectedRuns.UnionWith(usedBy.Select(id => new RunId(Guid.Parse(id))));
        }

        var modelVersions = new List<ImpactedModelVersion>();
        foreach (var chunk in affectedRuns.Chunk(500))
        {
            modelVersions.AddRange(await db.ModelVersions.AsNoTracking().Where(v => chunk.Contains(v.RunId))
                .Join(db.RegisteredModels, v => v.ModelId, m => m.Id, (v, m) => new ImpactedModelVersion(v.Id, v.ModelId, m.Name, v.Number, v.Stage, v.RunId))
                .ToListAsync(cancellationToken));
        }

        modelVersions = [.. modelVersions.OrderBy(v => v.Model, StringComparer.Ordinal).ThenBy(v => v.Number)];

        var live = modelVersions.Where(v => v.Stage == ModelStage.Production)
            .Select(v => new LiveDeployment(v.ModelId, v.Model, v.Number, "production", null, null)).ToList();
        var affectedVersionIds = modelVersions.Select(v => v.VersionId).ToList();
        var rollouts = await db.Rollouts.AsNoTracking()
            .Where(r => (r.State == RolloutState.Running || r.State == RolloutState.Paused) && affectedVersionIds.Contains(r.CanaryVersionId))
            .Select(r => new { r.Id, r.ModelId, r.CanaryVersionNumber, r.CanaryPercent }).ToListAsync(cancellationToken);
        var modelNames = modelVersions.GroupBy(v => v.ModelId).ToDictionary(g => g.Key, g => g.First().Model);
        live.AddRange(rollouts.Select(r => new LiveDeployment(r.ModelId, modelNames.GetValueOrDefault(r.ModelId, "?"), r.CanaryVersionNumber, "canary", r.Id,
            r.CanaryPercent)));

        return new ErasureImpactReport(column, keyHash, asked, searched, unusable,
            [.. versions.OrderBy(v => v.Dataset, StringComparer.Ordinal).ThenBy(v => v.Version)],
            [.. runs.OrderBy(r => r.SubmittedUtc)], modelVersions, live);
    }
}
