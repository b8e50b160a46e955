using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Application;
using Portal.Application.Monitoring;
using Portal.Data;
using Portal.Domain.Monitoring;
using Portal.Domain.Monitoring.Drift;
using Portal.Domain.Registry;
using Portal.Domain.Text;

namespace Portal.Web.Features.Monitoring;

/// <summary>On-demand drift of a model's production version over a span of prediction time.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Version">The production version's number.</param>
/// <param name="Rows">Rows predicted by it in the span (answered and refused).</param>
/// <param name="RefusedRows">Of those, rows refused (schema violations) or failed: not compared.</param>
public sealed record DriftResult(string Model, int Version, DateTime FromUtc, DateTime ToUtc, long Rows, long RefusedRows, DriftReport Report);

/// <summary>
/// Computes, on demand, the drift of the rows the model's production version predicted in [from, to) against its
/// training reference (<see cref="DriftReferences"/>), with the model's monitoring policy (or the default).
/// </summary>
public sealed class DriftQuery(IDbContextFactory<PortalDbContext> dbFactory, DriftReferences references)
{
    /// <summary>The longest span one request may cover.</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(31);

    /// <summary>The most logged rows one request compares (the rows are read into memory).</summary>
    public const long MaxRows = 1_000_000;

    public async Task<OperationResult<DriftResult>> ComputeAsync(string modelName, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var normalized = TextRule.NormalizedName(modelName);
        var model = await db.RegisteredModels.AsNoTracking().Where(m => m.NormalizedName == normalized)
            .Select(m => new { m.Id, m.Name, m.MonitoringPolicy }).FirstOrDefaultAsync(cancellationToken);
        if (model is null)
        {
            return Fail(OperationStatus.NotFound, $"There is no model named '{modelName}'.");
        }

        var champion = await db.ModelVersions.AsNoTracking().Where(v => v.ModelId == model.Id && v.Stage == ModelStage.Production)
            .Select(v => new { v.Id, v.Number, v.InputSignature }).FirstOrDefaultAsync(cancellationToken);
        if (champion is null)
        {
            return Fail(OperationStatus.Conflict, $"Model '{model.Name}' has no version in Production: drift is measured on the production version's predictions.");
        }

        var logged = db.PredictionBatches.AsNoTracking()
            .Where(b => b.ModelId == model.Id && b.ModelVersionId == champion.Id && b.ReceivedUtc >= fromUtc && b.ReceivedUtc < toUtc);
        var rows = await logged.SumAsync(b => (long)b.RowCount, cancellationToken);
        if (rows > MaxRows)
        {
            return Fail(OperationStatus.TooLarge,
                $"Version {champion.Number} predicted {rows.ToString("N0", CultureInfo.InvariantCulture)} rows in that span; one request compares at most {MaxRows.ToString("N0", CultureInfo.InvariantCulture)}: narrow from and to.");
        }

        if (rows == 0)
        {
            return OperationResult<DriftResult>.Ok(new DriftResult(model.Name, champion.Number, fromUtc, toUtc, 0, 0, DriftReport.Empty));
        }

        var reference = await references.GetAsync(champion.Id, cancellationToken);
        if (reference.Reference is null)
        {
            return Fail(OperationStatus.Conflict, $"No drift reference for model '{model.Name}': {reference.Message}");
        }

        var builder = new PredictionLogColumns.Builder(champion.InputSignature);
        // Streamed, not buffered: a long span is read without holding every log entry at once.
        await foreach (var batch in logged.OrderBy(b => b.ReceivedUtc).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            builder.Add(batch);
        }

        var columns = builder.Build();
        var policy = model.MonitoringPolicy ?? MonitoringPolicy.Default;
        var report = await Task.Run(() => DriftDetector.Compare(reference.Reference, columns.Columns, policy), cancellationToken);
        return OperationResult<DriftResult>.Ok(new DriftResult(model.Name, champion.Number, fromUtc, toUtc, columns.Rows, columns.RefusedRows, report));
    }

    private static OperationResult<DriftResult> Fail(OperationStatus status, string message) => OperationResult<DriftResult>.Fail(status, message);
}
