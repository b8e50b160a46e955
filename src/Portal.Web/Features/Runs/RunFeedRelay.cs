using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Domain.Runs;
using Portal.Application.Live;
using Portal.Worker.Training;

namespace Portal.Web.Features.Runs;

/// <summary>The relay of runs trained in other processes (section <c>LiveFeed</c>).</summary>
public sealed class LiveFeedOptions
{
    public const string SectionName = "LiveFeed";

    /// <summary>How often the web process reads what workers in other processes wrote, to push it to its pages and hub subscribers.</summary>
    [Range(100, 60_000)]
    public int RelayMilliseconds { get; set; } = 1000;
}

/// <summary>
/// A worker publishes on the live feed of its own process only. For runs trained elsewhere (a standalone worker, a
/// worker on another machine) this web process reads the points, log lines, progress and end that the worker wrote
/// to the database and publishes them on its own feed, so its pages and its <see cref="RunsHub"/> subscribers see
/// those runs live too. Its cursors are a per-process cache of what it has relayed; the database stays the truth.
/// </summary>
internal sealed class RunFeedRelay(
    IDbContextFactory<PortalDbContext> dbFactory,
    RunFeed feed,
    IOptions<LiveFeedOptions> options,
    TimeProvider time,
    ILogger<RunFeedRelay> logger,
    WorkerName? localWorker = null) : BackgroundService
{
    private const int MaxPointsPerTick = 5000;
    private const int MaxLinesPerTick = 50;
    private static readonly TimeSpan FinishedWindow = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan EndGrace = TimeSpan.FromSeconds(2);

    private readonly Dictionary<Guid, Cursor> relayed = [];
    private readonly Dictionary<Guid, DateTimeOffset> ended = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Runs ended by this process (its embedded worker, a cancellation here) were published here already.
        using var local = feed.Subscribe(update =>
        {
            if (update.Status is not (RunStatus.Queued or RunStatus.Running))
            {
                lock (ended)
                {
                    ended[update.RunId] = time.GetUtcNow();
                }
            }

            return Task.CompletedTask;
        });
        // Polling is paced by the machine's clock; the portal's clock (a test may move it by days) only dates the window of ended runs.
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.RelayMilliseconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RelayAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Relaying runs trained by other processes failed; will retry.");
            }
        }
    }

    /// <summary>
    /// One pass: publishes what the database gained since the last pass for every run trained elsewhere. The run rows
    /// are read before their points and lines, so an end is never published ahead of a point written with it; a
    /// progress written with those points may go out one pass later (it is a latest value, not a series).
    /// </summary>
    private async Task RelayAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var since = (now - FinishedWindow).UtcDateTime;
        var mine = localWorker?.Value;
        var tracked = relayed.Keys.ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Three reads, each an index range (SQLite scans the whole table for their OR): runs running under another
        // worker, the runs being relayed, runs ended lately.
        var managed = db.Runs.AsNoTracking().Where(r => r.Mode == RunMode.Managed);
        var runs = (await managed.Where(r => r.Status == RunStatus.Running && r.LeaseOwner != mine).Select(RelayRow.Of).ToListAsync(cancellationToken))
            .Concat(tracked.Count == 0 ? [] : await managed.Where(r => tracked.Contains(r.Id)).Select(RelayRow.Of).ToListAsync(cancellationToken))
            .Concat(await managed.Where(r => r.FinishedUtc >= since).Select(RelayRow.Of).ToListAsync(cancellationToken))
            .DistinctBy(r => r.Id)
            .ToList();

        lock (ended)
        {
            foreach (var old in ended.Where(e => now - e.Value > FinishedWindow).Select(e => e.Key).ToList())
            {
                ended.Remove(old);
            }
        }

        foreach (var run in runs)
        {
            var terminal = run.Status is not (RunStatus.Queued or RunStatus.Running);
            bool alreadyEnded;
            lock (ended)
            {
                alreadyEnded = ended.ContainsKey(run.Id);
            }

            if ((terminal && alreadyEnded) || (run.Status == RunStatus.Running && mine is not null && run.LeaseOwner == mine))
            {
                // Published by this process: its own worker trains it, or its end went out here.
                relayed.Remove(run.Id);
                continue;
            }

            var seen = relayed.TryGetValue(run.Id, out var cursor);
            if (!seen && terminal && run.FinishedUtc > (now - EndGrace).UtcDateTime)
            {
                // An end this relay never saw running: wait a moment, for this process's own worker publishes its end
                // just after writing it; if this process did not, the end is relayed on a later pass.
                continue;
            }

            if (!seen || cursor is null)
            {
                // First sight: every point so far (subscribers merge by step), but only log lines written from now on
                // (a page shows the earlier ones from its own read).
                var lastLine = await db.RunLogLines.Where(l => l.RunId == run.Id).MaxAsync(l => (long?)l.Id, cancellationToken) ?? 0;
                cursor = new Cursor(run.Attempt, run.LeaseOwner, 0, lastLine, -1, null);
            }
            else if (run.Status == RunStatus.Running && (cursor.Attempt != run.Attempt || cursor.Owner != run.LeaseOwner))
            {
                // A new training (a retry or a hand-back) clears the interrupted one's points: send its points from the
                // start. Ids only grow (AUTOINCREMENT, sequences), so none of the new training's points is skipped.
                cursor = cursor with { Attempt = run.Attempt, Owner = run.LeaseOwner, MetricId = 0 };
            }

            var points = await db.RunMetrics.AsNoTracking()
                .Where(m => m.RunId == run.Id && m.Id > cursor.MetricId)
                .OrderBy(m => m.Id).Take(MaxPointsPerTick)
                .Select(m => new { m.Id, m.Key, m.Value, m.Step })
                .ToListAsync(cancellationToken);
            var lines = await db.RunLogLines.AsNoTracking()
                .Where(l => l.RunId == run.Id && l.Id > cursor.LineId)
                .OrderBy(l => l.Id).Take(MaxLinesPerTick)
                .Select(l => new { l.Id, l.Message })
                .ToListAsync(cancellationToken);
            var moved = points.Count > 0 || lines.Count > 0 || (!terminal && (cursor.Progress != run.Progress || cursor.Stage != run.ProgressStage));
            var drained = points.Count < MaxPointsPerTick && lines.Count < MaxLinesPerTick;
            if (moved)
            {
                // Points first (as Running when the run has ended), the end last, so a page reloading on the end reads a complete run.
                var status = terminal ? RunStatus.Running : run.Status;
                var batch = points.Select(p => new MetricPoint(p.Key, p.Value, p.Step)).ToList();
                await feed.PublishAsync(new RunUpdate(run.Id, status, run.Progress, run.ProgressStage, batch, lines.FirstOrDefault()?.Message));
                foreach (var line in lines.Skip(1))
                {
                    await feed.PublishAsync(new RunUpdate(run.Id, status, run.Progress, run.ProgressStage, [], line.Message));
                }
            }

            if (terminal && drained)
            {
                await feed.PublishAsync(new RunUpdate(run.Id, run.Status, 1, run.Status.ToString(), [], run.FailureReason));
            }

            if (terminal && drained)
            {
                relayed.Remove(run.Id);
                lock (ended)
                {
                    ended[run.Id] = now;
                }
            }
            else
            {
                // The owner is remembered while running only: an end or a hand-back releases the lease without starting a training.
                relayed[run.Id] = new Cursor(run.Attempt, run.Status == RunStatus.Running ? run.LeaseOwner : cursor.Owner, points.Count > 0 ? points[^1].Id : cursor.MetricId,
                    lines.Count > 0 ? lines[^1].Id : cursor.LineId, run.Progress, run.ProgressStage);
            }
        }
    }

    private sealed record RelayRow(Guid Id, RunStatus Status, double Progress, string? ProgressStage, string? FailureReason, int Attempt, string? LeaseOwner, DateTime? FinishedUtc)
    {
        public static readonly System.Linq.Expressions.Expression<Func<Run, RelayRow>> Of =
            r => new RelayRow(r.Id, r.Status, r.Progress, r.ProgressStage, r.FailureReason, r.Attempt, r.LeaseOwner, r.FinishedUtc);
    }

    private sealed record Cursor(int Attempt, string? Owner, long MetricId, long LineId, double Progress, string? Stage);
}
