using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Registry.Cards;
using Portal.Data;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Text;
using EvaluationEvidence = Portal.Ml.Governance.PromotionEvidence;

namespace Portal.Web.Features.Registry;

/// <summary>A registered version as its model card needs it: ids, and what the registry knows beyond the run.</summary>
public sealed record ModelCardSubjectRef(string ModelName, int Version, ModelVersionId VersionId, RunId RunId, ModelStage Stage, ModelCardInputs Inputs);

/// <summary>
/// Finds a version by model name and number and gathers its card's registry facts: the stage, and the feature importance and
/// fairness of the latest frozen evidence of any promotion request of that version (none yet: the card says so).
/// </summary>
public sealed class ModelCardSource(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<ModelCardSubjectRef?> FindAsync(string modelName, int version, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var normalized = TextRule.NormalizedName(modelName ?? "");
        var found = await db.RegisteredModels.AsNoTracking().Where(m => m.NormalizedName == normalized)
            .Join(db.ModelVersions.Where(v => v.Number == version), m => m.Id, v => v.ModelId, (m, v) => new { m.Name, v.Id, v.RunId, v.Stage })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        var json = await db.PromotionRequests.AsNoTracking().Where(r => r.VersionId == found.Id)
            .Join(db.PromotionEvidence, r => r.Id, e => e.RequestId, (r, e) => e)
            .OrderByDescending(e => e.CreatedUtc).Select(e => e.Json).FirstOrDefaultAsync(cancellationToken);
        var evidence = Read(json);
        var inputs = new ModelCardInputs(found.Name, version, found.Stage,
            evidence is null ? null : new FeatureImportance(evidence.FeatureImportance.Metric,
                [.. evidence.FeatureImportance.Columns.Select(c => new FeatureImportanceRow(c.Column, c.Importance, c.StandardDeviation ?? 0))]),
            evidence is null ? null : [.. evidence.Fairness.Columns.SelectMany(FairnessRow.From)]);
        return new(found.Name, version, found.Id, found.RunId, found.Stage, inputs);
    }

    /// <summary>The scoring part ("evaluation") of a frozen snapshot; null when there is none or it cannot be read.</summary>
    internal static EvaluationEvidence? Read(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("evaluation", out var evaluation)
                ? evaluation.Deserialize<EvaluationEvidence>(EvaluationEvidence.FrozenSnapshotOptions)
                : null;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return null; // a snapshot of another shape: the card says the figures are not computed rather than failing
        }
    }
}
