using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Data.Live;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Live;
using Portal.Domain.Runs;

namespace Portal.Data.Tests.Live;

/// <summary>
/// This process's live-event path over a test database, as a web node runs it: the bus and its outbox tail, started;
/// time is a <see cref="FakeTimeProvider"/> (it drives the prune). Publishes as another process would.
/// </summary>
public sealed class RunningTail : IAsyncDisposable
{
    public static readonly TimeSpan Delivery = TimeSpan.FromSeconds(20);

    private readonly SqliteTestDatabase _database;
    private readonly LiveEventTail _tail;

    private RunningTail(SqliteTestDatabase database, FakeTimeProvider time, LiveEventsOptions settings)
    {
        _database = database;
        Time = time;
        Options = settings;
        var options = Microsoft.Extensions.Options.Options.Create(settings);
        Bus = new LiveEventBus(database.Factory, options, NullLogger<LiveEventBus>.Instance);
        _tail = new LiveEventTail(database.Factory, Bus, database.Signal, options, time, NullLogger<LiveEventTail>.Instance);
    }

    public LiveEventBus Bus { get; }

    public FakeTimeProvider Time { get; }

    public LiveEventsOptions Options { get; }

    public static async Task<RunningTail> StartAsync(SqliteTestDatabase database, FakeTimeProvider? time = null, LiveEventsOptions? options = null)
    {
        var tail = new RunningTail(database, time ?? new FakeTimeProvider(DateTimeOffset.UtcNow), options ?? new LiveEventsOptions { PollMilliseconds = 10 });
        await tail._tail.StartAsync(CancellationToken.None);
        return tail;
    }

    /// <summary>A run's change told on its topic, committed by another process (its own transaction, no wake-up of this tail).</summary>
    public Task<long> PublishAsync(string topic, int step, DateTimeOffset? createdAt = null) =>
        PublishAsync(_database, topic, step, createdAt ?? Time.GetUtcNow());

    /// <summary>The same, before any tail runs.</summary>
    public static async Task<long> PublishAsync(SqliteTestDatabase database, string topic, int step, DateTimeOffset createdAt)
    {
        Assert.True(LiveTopics.TryParseRun(topic, out var runId));
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        db.Publish(new RunChanged(runId, RunStatus.Running, step / 100.0, "training", [new MetricPoint("train.loss", 1.0 / (step + 1), step)], [], null),
            createdAt);
        await db.SaveChangesAsync();
        return db.ChangeTracker.Entries<LiveEventRecord>().Single().Entity.Sequence;
    }

    /// <summary>The sequences the outbox holds for <paramref name="topic"/>, in order.</summary>
    public async Task<List<long>> StoredAsync(string topic)
    {
        await using var db = await _database.OtherProcess.CreateDbContextAsync();
        return await db.LiveEvents.Where(e => e.Topic == topic).OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync();
    }

    /// <summary>Waits until the tail has handed every event the outbox holds now to the bus.</summary>
    public async Task CaughtUpAsync()
    {
        long head;
        await using (var db = await _database.OtherProcess.CreateDbContextAsync())
        {
            head = await db.LiveEvents.MaxAsync(e => (long?)e.Sequence) ?? 0;
        }

        await Eventually.TrueAsync(() => Bus.Position >= head, $"the tail to reach sequence {head}");
    }

    public async ValueTask DisposeAsync()
    {
        await _tail.StopAsync(CancellationToken.None);
        _tail.Dispose();
    }
}
