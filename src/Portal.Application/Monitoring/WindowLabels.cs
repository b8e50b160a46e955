using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Registry;
using Portal.Domain.Serving;

namespace Portal.Application.Monitoring;

/// <summary>The ground truth received so far for a window's rows: labels, and accuracy (classification) or mean absolute error (regression).</summary>
public sealed record WindowLabels(long Labeled, double? Accuracy, double? MeanAbsoluteError)
{
    public static WindowLabels None { get; } = new(0, null, null);

    /// <summary>Feedback of the answering version's champion-arm predictions made in [start, end) (prediction time is the batch's).</summary>
    public static async Task<WindowLabels> ReadAsync(PortalDbContext db, RegisteredModelId modelId, ModelVersionId versionId, DateTime startUtc, DateTime endUtc,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var sums = await SumsAsync(db, modelId, startUtc, endUtc, cancellationToken);
        return From(sums.Where(s => s.VersionId == versionId));
    }

    /// <summary>Feedback of every champion-arm prediction made in [start, end), summed per version and prediction time (one row per labelled batch).</summary>
    public static Task<List<LabelSums>> SumsAsync(PortalDbContext db, RegisteredModelId modelId, DateTime startUtc, DateTime endUtc, CancellationToken cancellationToken) =>
        Query(db, modelId, startUtc, endUtc)
            .GroupBy(f => new { f.ModelVersionId, f.PredictedUtc })
            .Select(g => new LabelSums(g.Key.ModelVersionId, g.Key.PredictedUtc, g.Count(), g.Count(f => f.Correct == true), g.Count(f => f.Correct != null),
                g.Count(f => f.AbsoluteError != null), g.Sum(f => f.AbsoluteError) ?? 0))
            .ToListAsync(cancellationToken);

    public static WindowLabels From(IEnumerable<LabelSums> sums)
    {
        ArgumentNullException.ThrowIfNull(sums);
        long labeled = 0, correct = 0, judged = 0, measured = 0;
        double errors = 0;
        foreach (var s in sums)
        {
            (labeled, correct, judged, measured, errors) = (labeled + s.Labeled, correct + s.Correct, judged + s.Judged, measured + s.Measured, errors + s.ErrorSum);
        }

        return new WindowLabels(labeled, judged > 0 ? (double)correct / judged : null, measured > 0 ? errors / measured : null);
    }

    private static IQueryable<PredictionFeedback> Query(PortalDbContext db, RegisteredModelId modelId, DateTime startUtc, DateTime endUtc) =>
        db.PredictionFeedback.AsNoTracking()
            .Where(f => f.ModelId == modelId && f.Arm == ServingArm.Champion && f.PredictedUtc >= startUtc && f.PredictedUtc < endUtc);
}

/// <summary>Feedback sums of one version's predictions at one prediction time.</summary>
public sealed record LabelSums(ModelVersionId VersionId, DateTime PredictedUtc, long Labeled, long Correct, long Judged, long Measured, double ErrorSum);
