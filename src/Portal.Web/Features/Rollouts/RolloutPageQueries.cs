using MathNet.Numerics.Distributions;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Serving;
using Portal.Domain.Statistics;
using Portal.Domain.Text;
using Portal.Web.Infrastructure;

namespace Portal.Web.Features.Rollouts;

/// <summary>Reads rollouts for pages: the list, one rollout with its verdicts and per-minute figures, a model's latest rollout.</summary>
public sealed class RolloutPageQueries(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    public const int MaxPageSize = 100;

    /// <summary>The live figures cover at most this much of a rollout, ending now (or when it ended).</summary>
    public static readonly TimeSpan FiguresWindow = TimeSpan.FromMinutes(60);

    /// <summary>Two-sided confidence of the bands drawn around the per-minute figures.</summary>
    public const double BandConfidence = 0.95;

    public async Task<PagedResult<RolloutRow>> ListAsync(string? model, RolloutState? state, int page, int pageSize, CancellationToken cancellationToken)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Clamp(page, 0, int.MaxValue / MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Rollouts.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(model))
        {
            var normalized = TextRule.NormalizedName(model);
            var ids = db.RegisteredModels.Where(m => m.NormalizedName.Contains(normalized)).Select(m => m.Id);
            query = query.Where(r => ids.Contains(r.ModelId));
        }

        if (state is { } s)
        {
            query = query.Where(r => r.State == s);
        }

        var total = await query.CountAsync(cancellationToken);
        var rollouts = await query.OrderByDescending(r => r.StartedUtc).Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var names = await ModelNamesAsync(db, rollouts.Select(r => r.ModelId), cancellationToken);
        return new(rollouts.Select(r => Row(r, names)).ToList(), total, page, pageSize);
    }

    /// <summary>The model's running or paused rollout, else its latest one; null when it never had one.</summary>
    public async Task<RolloutRow?> CurrentForModelAsync(RegisteredModelId modelId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rollout = await db.Rollouts.AsNoTracking().Where(r => r.ModelId == modelId)
            .OrderBy(r => r.State == RolloutState.Running || r.State == RolloutState.Paused ? 0 : 1).ThenByDescending(r => r.StartedUtc)
            .FirstOrDefaultAsync(cancellationToken);
        return rollout is null ? null : Row(rollout, await ModelNamesAsync(db, [modelId], cancellationToken));
    }

    /// <summary>The model's rollout policy (null: approved challengers are promoted at once).</summary>
    public async Task<RolloutPolicy?> PolicyAsync(RegisteredModelId modelId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RegisteredModels.AsNoTracking().Where(m => m.Id == modelId).Select(m => m.RolloutPolicy).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<RolloutPageDetails?> GetAsync(RolloutId id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rollout = await db.Rollouts.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rollout is null)
        {
            return null;
        }

        var names = await ModelNamesAsync(db, [rollout.ModelId], cancellationToken);
        var to = rollout.EndedUtc ?? time.GetUtcNow().UtcDateTime;
        var from = Max(rollout.StartedUtc, to - FiguresWindow);
        RolloutId? key = id;
        var batches = await db.PredictionBatches.AsNoTracking()
            .Where(b => b.RolloutId == key && b.ReceivedUtc >= from && b.ReceivedUtc <= to)
            .Select(b => new RequestSample(b.ReceivedUtc, b.Arm, b.RowCount, b.ErrorCount))
            .ToListAsync(cancellationToken);
        var feedback = await db.PredictionFeedback.AsNoTracking()
            .Where(f => f.RolloutId == key && f.PredictedUtc >= from && f.PredictedUtc <= to)
            .Select(f => new FeedbackSample(f.PredictedUtc, f.Arm, f.Correct, f.AbsoluteError))
            .ToListAsync(cancellationToken);
        return new(Row(rollout, names), rollout.Policy, rollout.Verdicts.ToList(), Figures(batches, feedback, from, to));
    }

    /// <summary>One request as the figures count it.</summary>
    public sealed record RequestSample(DateTime ReceivedUtc, ServingArm Arm, int Rows, int Errors);

    /// <summary>One labelled prediction as the figures count it.</summary>
    public sealed record FeedbackSample(DateTime PredictedUtc, ServingArm Arm, bool? Correct, double? AbsoluteError);

    /// <summary>
    /// Per-minute, per-arm figures: error rate and accuracy with Wilson score intervals, mean absolute error with a normal
    /// interval on the mean (t would differ little at the minute counts this draws). Minutes without requests are left out.
    /// </summary>
    public static RolloutFigures Figures(IReadOnlyCollection<RequestSample> requests, IReadOnlyCollection<FeedbackSample> feedback, DateTime from, DateTime to)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(feedback);
        var metric = feedback.Any(f => f.AbsoluteError is not null) ? RolloutTaskMetric.MeanAbsoluteError : RolloutTaskMetric.Accuracy;
        var z = Normal.InvCDF(0, 1, (1 + BandConfidence) / 2);
        var labels = feedback.GroupBy(f => (Minute: Minute(f.PredictedUtc), f.Arm)).ToDictionary(g => g.Key, g => g.ToList());
        var served = requests.GroupBy(r => (Minute: Minute(r.ReceivedUtc), r.Arm)).ToDictionary(g => g.Key, g => g.ToList());
        var minutes = served.Keys.Union(labels.Keys)
            .OrderBy(k => k.Minute).ThenBy(k => k.Arm)
            .Select(k =>
            {
                var inMinute = served.GetValueOrDefault(k) ?? [];
                long rows = inMinute.Sum(r => (long)r.Rows);
                long errors = inMinute.Sum(r => (long)r.Errors);
                var errorRate = WilsonInterval.Of(Math.Min(errors, rows), rows, BandConfidence);
                var labelled = labels.GetValueOrDefault(k) ?? [];
                var (value, lower, upper) = metric == RolloutTaskMetric.Accuracy ? Accuracy(labelled) : MeanAbsoluteError(labelled, z);
                return new RolloutMinute(k.Minute, k.Arm, rows, errors, errorRate?.Estimate, errorRate?.Lower, errorRate?.Upper, labelled.Count, value, lower, upper);
            })
            .ToList();
        return new(metric, BandConfidence, from, to, minutes);
    }

    private static (double?, double?, double?) Accuracy(List<FeedbackSample> labelled)
    {
        var judged = labelled.Where(f => f.Correct is not null).ToList();
        var interval = WilsonInterval.Of(judged.Count(f => f.Correct == true), judged.Count, BandConfidence);
        return (interval?.Estimate, interval?.Lower, interval?.Upper);
    }

    private static (double?, double?, double?) MeanAbsoluteError(List<FeedbackSample> labelled, double z)
    {
        var errors = labelled.Where(f => f.AbsoluteError is not null).Select(f => f.AbsoluteError!.Value).ToList();
        if (errors.Count == 0)
        {
            return (null, null, null);
        }

        var mean = errors.Average();
        if (errors.Count < 2)
        {
            return (mean, null, null);
        }

        var sd = Math.Sqrt(errors.Sum(e => (e - mean) * (e - mean)) / (errors.Count - 1));
        var half = z * sd / Math.Sqrt(errors.Count);
        return (mean, Math.Max(0, mean - half), mean + half);
    }

    private static DateTime Minute(DateTime utc) => new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static RolloutRow Row(Rollout r, Dictionary<RegisteredModelId, string> names) =>
        new(r.Id, r.ModelId, names.GetValueOrDefault(r.ModelId, r.ModelId.ToString()), r.BaselineVersionNumber, r.CanaryVersionNumber, r.State, r.StepIndex,
            r.Policy.Steps.Count, r.CanaryPercent, r.StartedUtc, r.StepStartedUtc, r.EndedUtc, r.Reason, r.Transition.RequestId);

    private static async Task<Dictionary<RegisteredModelId, string>> ModelNamesAsync(PortalDbContext db, IEnumerable<RegisteredModelId> ids,
        CancellationToken cancellationToken)
    {
        var distinct = ids.Distinct().ToList();
        return await db.RegisteredModels.AsNoTracking().Where(m => distinct.Contains(m.Id)).Select(m => new { m.Id, m.Name })
            .ToDictionaryAsync(m => m.Id, m => m.Name, cancellationToken);
    }
}
