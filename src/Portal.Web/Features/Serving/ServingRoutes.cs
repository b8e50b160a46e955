using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Text;

namespace Portal.Web.Features.Serving;

/// <summary>
/// This node's routes, model name → <see cref="ServingRoute"/>: read from the database at most once per
/// <see cref="ServingOptions.RouteRefresh"/> per model, so the hot path reads no database. A stale route keeps answering
/// while one request re-reads it (the others do not wait); only the first request for a model waits for its read. A new
/// champion or a rollout step therefore reaches every node within about one refresh interval, and each request is answered
/// by the one route it took.
/// </summary>
public sealed class ServingRoutes(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time, IOptions<ServingOptions> options,
    IHostApplicationLifetime lifetime, ILogger<ServingRoutes> logger)
{
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>The model's route, or null when no model has that name.</summary>
    public async ValueTask<ServingRoute?> ResolveAsync(string modelName, CancellationToken cancellationToken)
    {
        var key = TextRule.NormalizedName(modelName);
        var now = time.GetTimestamp();
        if (entries.TryGetValue(key, out var entry))
        {
            if (time.GetElapsedTime(entry.ReadAt, now) >= options.Value.RouteRefresh && entry.TryStartRefresh())
            {
                _ = RefreshAsync(key, entry);
            }

            return entry.Route;
        }

        var route = await ReadAsync(key, cancellationToken);
        entries[key] = new Entry(route, now);
        return route;
    }

    /// <summary>Forgets every cached route: the next request of each model reads it again (tests, and a node told of a change).</summary>
    public void Invalidate() => entries.Clear();

    private async Task RefreshAsync(string key, Entry stale)
    {
        try
        {
            var route = await ReadAsync(key, lifetime.ApplicationStopping);
            entries[key] = new Entry(route, time.GetTimestamp());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Keep serving the last known route; the next request after the interval tries again.
            if (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not refresh the serving route of model {Model}; the last one read keeps serving.", key);
            }

            stale.RefreshFailed(time.GetTimestamp());
        }
    }

    private async Task<ServingRoute?> ReadAsync(string normalizedName, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var model = await db.RegisteredModels.AsNoTracking().Where(m => m.NormalizedName == normalizedName)
            .Select(m => new { m.Id, m.Name }).FirstOrDefaultAsync(cancellationToken);
        if (model is null)
        {
            return null;
        }

        var rollout = await db.Rollouts.AsNoTracking()
            .Where(r => r.ModelId == model.Id && (r.State == RolloutState.Running || r.State == RolloutState.Paused))
            .OrderByDescending(r => r.StartedUtc)
            .Select(r => new { r.Id, r.CanaryVersionId, r.CanaryPercent })
            .FirstOrDefaultAsync(cancellationToken);
        var canaryId = rollout?.CanaryVersionId ?? default;
        var versions = await db.ModelVersions.AsNoTracking()
            .Where(v => v.ModelId == model.Id && (v.Stage == ModelStage.Production || v.Id == canaryId))
            .Join(db.Runs, v => v.RunId, r => r.Id, (v, r) => new { Version = v, r.Task })
            .ToListAsync(cancellationToken);

        ServingVersion? Serving(ModelVersion? v) => v is null ? null : versions.First(x => x.Version.Id == v.Id) is var x && x.Task is { } task
            ? new ServingVersion(v.Id, v.Number, v.ModelSha256, v.InputSignature, task, v.RunId)
            : null;

        var champion = Serving(versions.Select(x => x.Version).FirstOrDefault(v => v.Stage == ModelStage.Production));
        var canary = rollout is null ? null : Serving(versions.Select(x => x.Version).FirstOrDefault(v => v.Id == rollout.CanaryVersionId));
        return new ServingRoute(model.Id, model.Name, champion, rollout is null || canary is null ? null : new ServingRollout(rollout.Id, canary, rollout.CanaryPercent));
    }

    private sealed class Entry(ServingRoute? route, long readAt)
    {
        private int refreshing;
        private long readAt = readAt;

        public ServingRoute? Route { get; } = route;

        public long ReadAt => Interlocked.Read(ref readAt);

        public bool TryStartRefresh() => Interlocked.CompareExchange(ref refreshing, 1, 0) == 0;

        public void RefreshFailed(long now)
        {
            Interlocked.Exchange(ref readAt, now);
            Interlocked.Exchange(ref refreshing, 0);
        }
    }
}
