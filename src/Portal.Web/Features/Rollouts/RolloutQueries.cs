using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Serving;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Text;

namespace Portal.Web.Features.Rollouts;

/// <summary>One rollout in a list: its model, versions, where it stands.</summary>
public sealed record RolloutSummary(RolloutId Id, string Model, int BaselineVersion, int CanaryVersion, RolloutState State, int StepIndex, int Steps,
    int CanaryPercent, DateTime StartedUtc, DateTime? EndedUtc, string? Reason);

/// <summary>A rollout with its verdicts, and (while active) the current step's figures per arm and the analysis so far.</summary>
public sealed record RolloutDetails(RolloutSummary Summary, Rollout Rollout, RolloutAssessment? Current);

/// <summary>Reads of rollouts for the API and pages: projections, no tracking; the current step's figures counted in SQL.</summary>
public sealed class RolloutQueries(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    public async Task<(IReadOnlyList<RolloutSummary> Items, int Total)> ListAsync(string? model, RolloutState? state, int page, int pageSize,
        CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Rollouts.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(model))
        {
            var normalized = TextRule.NormalizedName(model);
            var modelId = await db.RegisteredModels.Where(m => m.NormalizedName == normalized).Select(m => (RegisteredModelId?)m.Id).FirstOrDefaultAsync(cancellationToken);
            if (modelId is null)
            {
                return ([], 0);
            }

            query = query.Where(r => r.ModelId == modelId.Value);
        }

        if (state is { } s)
        {
            query = query.Where(r => r.State == s);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(r => r.StartedUtc).Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.ModelId).Distinct().ToList();
        var names = await db.RegisteredModels.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Name, cancellationToken);
        return ([.. rows.Select(r => Summarise(r, names.GetValueOrDefault(r.ModelId, "")))], total);
    }

    public async Task<RolloutDetails?> GetAsync(RolloutId id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rollout = await db.Rollouts.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rollout is null)
        {
            return null;
        }

        var name = await db.RegisteredModels.AsNoTracking().Where(m => m.Id == rollout.ModelId).Select(m => m.Name).FirstAsync(cancellationToken);
        RolloutAssessment? current = null;
        if (rollout.IsActive)
        {
            var now = time.GetUtcNow();
            var counts = await RolloutArmQuery.CountAsync(db, rollout.Id, rollout.StepStartedUtc, now.UtcDateTime, cancellationToken);
            current = counts.Assess(rollout.Policy, rollout.StepStartedUtc, now);
        }

        return new(Summarise(rollout, name), rollout, current);
    }

    /// <summary>The id of the model named <paramref name="name"/> (ignoring case), or null.</summary>
    public async Task<RegisteredModelId?> ModelIdAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var normalized = TextRule.NormalizedName(name);
        return await db.RegisteredModels.Where(m => m.NormalizedName == normalized).Select(m => (RegisteredModelId?)m.Id).FirstOrDefaultAsync(cancellationToken);
    }

    private static RolloutSummary Summarise(Rollout r, string model) =>
        new(r.Id, model, r.BaselineVersionNumber, r.CanaryVersionNumber, r.State, r.StepIndex, r.Policy.Steps.Count, r.CanaryPercent, r.StartedUtc, r.EndedUtc, r.Reason);
}
