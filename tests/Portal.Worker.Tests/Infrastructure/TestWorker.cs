using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Data.Live;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Live;
using Portal.Domain.Runs;
using Portal.Ml.Training;
using Portal.Worker.Training;

namespace Portal.Worker.Tests.Infrastructure;

/// <summary>
/// A worker's parts over a test database, without a host: leases, the training job, the artifact store, on a
/// <see cref="FakeTimeProvider"/> unless told otherwise; and reads of what they wrote (the run, its log, its live events).
/// </summary>
public sealed class TestWorker(SqliteTestDatabase database, TimeProvider? timeProvider = null)
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    public TimeProvider Time { get; } = timeProvider ?? new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

    public FakeTimeProvider FakeTime => (FakeTimeProvider)Time;

    public ContentAddressedStore Store { get; } = new(new ContentAddressedStoreOptions { RootDirectory = Path.Combine(database.Folder, "artifacts") });

    public TrainingOptions Options { get; } = new() { LeaseSeconds = (int)Lease.TotalSeconds, FlushMilliseconds = 0 };

    public RunBuilder NewRun() => new(database.Factory, Store, Time);

    /// <summary>Leases over this process's database, or over a factory with interceptors that stage a race.</summary>
    public RunLeases Leases(params IInterceptor[] interceptors) =>
        new(interceptors.Length == 0 ? database.Factory : database.CreateFactory(interceptors), Time, NullLogger<RunLeases>.Instance);

    public RunTrainingJob Job(params IInterceptor[] interceptors) =>
        new(interceptors.Length == 0 ? database.Factory : database.CreateFactory(interceptors), Store, new ModelTrainer(), Time,
            Microsoft.Extensions.Options.Options.Create(Options), NullLogger<RunTrainingJob>.Instance);

    /// <summary>The job's observer of one training; it flushes only when told to, or on the first report.</summary>
    internal DatabaseTrainingObserver Observer(RunId runId, string workerId, CancellationTokenSource training, params IInterceptor[] interceptors) =>
        new(interceptors.Length == 0 ? database.Factory : database.CreateFactory(interceptors), Time, runId, workerId,
            new TrainingOptions { LeaseSeconds = Options.LeaseSeconds, FlushMilliseconds = 10_000 }, training, NullLogger.Instance);

    /// <summary>A queued run claimed by <paramref name="workerId"/>.</summary>
    public async Task<RunId> ClaimedRunAsync(string workerId)
    {
        var runId = await NewRun().QueuedAsync();
        Assert.Equal(runId, await Leases().TryClaimAsync(workerId, Lease, CancellationToken.None));
        return runId;
    }

    /// <summary>Changes a run from another process (another worker, a page), in its own transaction, with the event it tells.</summary>
    public async Task ChangeAsync(RunId runId, Action<Run> change, string? logLine = null)
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        var run = await db.Runs.FirstAsync(r => r.Id == runId);
        change(run);
        db.PublishRunChanged(run, Time.GetUtcNow(), logLine);
        await db.SaveChangesAsync();
    }

    public async Task<Run> RunAsync(RunId runId)
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        return await db.Runs.AsNoTracking().FirstAsync(r => r.Id == runId);
    }

    public async Task<List<string>> LogAsync(RunId runId)
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        return await db.RunLogLines.Where(l => l.RunId == runId).OrderBy(l => l.Id).Select(l => l.Message).ToListAsync();
    }

    public async Task<List<RunMetric>> MetricsAsync(RunId runId)
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        return await db.RunMetrics.Where(m => m.RunId == runId).OrderBy(m => m.Id).ToListAsync();
    }

    public async Task<Dictionary<string, string>> RunParamsAsync(RunId runId)
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        return await db.RunParams.Where(p => p.RunId == runId).ToDictionaryAsync(p => p.Key, p => p.Value);
    }

    /// <summary>The run's stored evaluation (confusion matrix, per-class metrics, residuals), or null.</summary>
    public async Task<Portal.Ml.Evaluation.ModelEvaluation?> EvaluationAsync(RunId runId)
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        var json = await db.RunEvaluations.Where(e => e.RunId == runId).Select(e => e.Json).FirstOrDefaultAsync();
        return json is null ? null : Portal.Ml.Evaluation.ModelEvaluation.FromJson(json);
    }

    /// <summary>The run's live events in the outbox, in sequence order.</summary>
    public async Task<List<(long Sequence, RunChanged Change)>> EventsAsync(RunId runId)
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        var topic = LiveTopics.Run(runId);
        var rows = await db.LiveEvents.Where(e => e.Topic == topic).OrderBy(e => e.Sequence).ToListAsync();
        return [.. rows.Select(r => (r.Sequence, Assert.IsType<RunChanged>(LiveEventJson.Read(r.Type, r.Payload))))];
    }
}
