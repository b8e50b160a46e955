using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Ml.Evaluation;
using Portal.Ml.Serving;

namespace Portal.Web.Features.Serving;

/// <summary>
/// This node's loaded scoring engines, one per model version, loaded once (concurrent first requests share the load) and
/// kept while used; beyond <see cref="ServingOptions.MaxLoadedVersions"/> the least recently used is dropped (a request
/// already holding it finishes with it). A version whose file cannot be loaded is not cached, so the next request retries.
/// </summary>
public sealed class ScoringEngines(ContentAddressedStore store, IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time,
    IOptions<ServingOptions> options, IHostApplicationLifetime lifetime, ILogger<ScoringEngines> logger)
{
    private readonly ConcurrentDictionary<ModelVersionId, Slot> slots = new();

    public int Loaded => slots.Count;

    public async ValueTask<ScoringEngine> GetAsync(ServingVersion version, CancellationToken cancellationToken)
    {
        var slot = slots.GetOrAdd(version.Id, _ => new Slot(new Lazy<Task<ScoringEngine>>(() => LoadAsync(version))));
        slot.Touch(time.GetTimestamp());
        var loading = slot.Engine.Value;
        if (slots.Count > options.Value.MaxLoadedVersions)
        {
            Evict(version.Id);
        }

        try
        {
            return await loading.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            slots.TryRemove(new KeyValuePair<ModelVersionId, Slot>(version.Id, slot));
            throw new ScoringEngineUnavailableException($"Version {version.Number} cannot be loaded for scoring: {ex.Message}", ex);
        }
    }

    private async Task<ScoringEngine> LoadAsync(ServingVersion version)
    {
        IReadOnlyList<string>? classes = null;
        if (version.Task == MlTask.Binary)
        {
            // The class names the run knew (positive first): the trainer's evaluation lists them in its confusion matrix.
            await using var db = await dbFactory.CreateDbContextAsync(lifetime.ApplicationStopping);
            var json = await db.RunEvaluations.AsNoTracking().Where(e => e.RunId == version.RunId).Select(e => e.Json).FirstOrDefaultAsync(lifetime.ApplicationStopping);
            classes = json is null ? null : ModelEvaluation.FromJson(json).ConfusionMatrix?.Classes;
        }

        var path = store.GetPath(version.ModelSha256);
        var engine = await Task.Run(() =>
        {
            using var file = File.OpenRead(path);
            return ScoringEngine.Load(file, version.Signature, version.Task, classes);
        }, lifetime.ApplicationStopping);
        logger.LogInformation("Loaded version {Version} ({VersionId}) for scoring.", version.Number, version.Id);
        return engine;
    }

    private void Evict(ModelVersionId keep)
    {
        var max = options.Value.MaxLoadedVersions;
        foreach (var oldest in slots.Where(s => s.Key != keep && s.Value.Engine.IsValueCreated && s.Value.Engine.Value.IsCompleted)
                     .OrderBy(s => s.Value.LastUsed).Take(Math.Max(0, slots.Count - max)).ToList())
        {
            slots.TryRemove(oldest);
        }
    }

    private sealed class Slot(Lazy<Task<ScoringEngine>> engine)
    {
        private long lastUsed;

        public Lazy<Task<ScoringEngine>> Engine { get; } = engine;

        public long LastUsed => Interlocked.Read(ref lastUsed);

        public void Touch(long now) => Interlocked.Exchange(ref lastUsed, now);
    }
}

/// <summary>A version's model file could not be loaded for scoring (missing from the artifact store, or unreadable).</summary>
public sealed class ScoringEngineUnavailableException(string message, Exception inner) : Exception(message, inner);
