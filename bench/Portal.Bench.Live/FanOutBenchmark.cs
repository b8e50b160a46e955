using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Live;
using Portal.Domain.Runs;

namespace Portal.Bench.Live;

/// <summary>What the fan-out delivered against what the outbox holds.</summary>
internal sealed record FanOutResult(
    int Subscribers,
    int Reconnected,
    int Events,
    long Expected,
    long Delivered,
    long Missing,
    long Duplicates,
    long OutOfOrder,
    long Unexpected,
    int Resyncs,
    long ReconnectedExpected,
    long ReconnectedDelivered,
    TimeSpan Write,
    TimeSpan Drain)
{
    public bool Passed => Expected > 0 && Missing == 0 && Duplicates == 0 && OutOfOrder == 0 && Unexpected == 0 && Resyncs == 0 && Delivered == Expected;
}

/// <summary>
/// Two web nodes, N hub subscribers on each (alternately on /hubs/runs and /hubs/live, each following two of the
/// topics), and 10,000 events on those topics: 90 % written in transactions of ten by another process (the standalone
/// worker's way), 10 % logged through log-batch on node A and node B, concurrently, paced over the write window. Half
/// way through, half of the subscribers (of both hubs and both nodes) are cut off and resume from their last sequence
/// on the other node. Every subscriber must then hold, for each of its topics, exactly the outbox's events after its
/// subscription began: each once, in sequence order.
/// </summary>
internal static class FanOutBenchmark
{
    private const int Transaction = 10;
    private const int Parallel = 20;

    public static async Task<FanOutResult> RunAsync(Deployment deployment, LiveBenchOptions options)
    {
        using var clientA = deployment.Client(deployment.A);
        using var clientB = deployment.Client(deployment.B);
        var runs = new List<Guid>();
        for (var t = 0; t < options.Topics; t++)
        {
            runs.Add(await deployment.CreateExternalRunAsync(clientA, "live-bench-fanout"));
        }

        var subscribers = Enumerable.Range(0, 2 * options.SubscribersPerNode)
            .Select(k => new HubSubscriber(k, k % 2 == 0 ? HubKind.Runs : HubKind.Live, [runs[k % runs.Count], runs[(k + 3) % runs.Count]], deployment.Token))
            .ToList();
        WebNode HomeOf(HubSubscriber s) => s.Id < options.SubscribersPerNode ? deployment.A : deployment.B;
        WebNode OtherThan(WebNode node) => node == deployment.A ? deployment.B : deployment.A;
        try
        {
            var clock = Stopwatch.StartNew();
            await ForEachAsync(subscribers, s => s.ConnectAndSubscribeAsync(HomeOf(s)));
            Console.WriteLine($"    {subscribers.Count} connections subscribed in {clock.Elapsed.TotalSeconds:F1} s");

            // Half of them, every other pair (so both hubs and both nodes), cut off half way and resumed on the other node.
            var cut = subscribers.Where(s => s.Id / 2 % 2 == 0).ToList();
            var reconnect = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var reconnected = reconnect.Task.ContinueWith(_ => ForEachAsync(cut, s => s.ReconnectAndResumeAsync(OtherThan(s.Node!))), TaskScheduler.Default).Unwrap();

            clock.Restart();
            var httpEvents = options.Events / 10;
            var writerEvents = options.Events - httpEvents;
            var window = TimeSpan.FromSeconds(options.WriteSeconds);
            await Task.WhenAll(
                WriteAsync(deployment, runs, writerEvents, window, reconnect),
                LogAsync(clientA, runs, httpEvents / 2, 0, window),
                LogAsync(clientB, runs, httpEvents - (httpEvents / 2), 1, window));
            var write = clock.Elapsed;
            await reconnected;
            Console.WriteLine($"    {options.Events:N0} events written in {write.TotalSeconds:F1} s; {cut.Count} subscribers reconnected and resumed mid-stream");

            // What each subscriber must receive: the outbox's events of its topics after its subscription began.
            clock.Restart();
            var topics = runs.Select(r => LiveTopics.Run(new RunId(r))).ToList();
            Dictionary<string, long[]> outbox;
            await using (var db = deployment.OpenRemoteDb())
            {
                var from = subscribers.SelectMany(s => s.Runs.Select(r => s.StartedAfter(LiveTopics.Run(new RunId(r))))).Min();
                outbox = (await db.LiveEvents.AsNoTracking().Where(e => topics.Contains(e.Topic) && e.Sequence > from)
                        .Select(e => new { e.Topic, e.Sequence }).ToListAsync())
                    .GroupBy(e => e.Topic).ToDictionary(g => g.Key, g => g.Select(e => e.Sequence).Order().ToArray());
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (!AllCaughtUp(subscribers, outbox) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            var drain = clock.Elapsed;
            return Verify(subscribers, cut, outbox, options.Events, write, drain);
        }
        finally
        {
            await ForEachAsync(subscribers, async s => await s.DisposeAsync());
        }
    }

    private static bool AllCaughtUp(List<HubSubscriber> subscribers, Dictionary<string, long[]> outbox) =>
        subscribers.All(s => s.Runs.Select(r => LiveTopics.Run(new RunId(r))).All(t => !outbox.TryGetValue(t, out var events) || s.LastReceived(t) >= events[^1]));

    private static FanOutResult Verify(List<HubSubscriber> subscribers, List<HubSubscriber> cut, Dictionary<string, long[]> outbox, int events, TimeSpan write, TimeSpan drain)
    {
        long expected = 0, delivered = 0, missing = 0, duplicates = 0, outOfOrder = 0, unexpected = 0, cutExpected = 0, cutDelivered = 0;
        foreach (var subscriber in subscribers)
        {
            foreach (var topic in subscriber.Runs.Select(r => LiveTopics.Run(new RunId(r))))
            {
                var start = subscriber.StartedAfter(topic);
                var want = outbox.GetValueOrDefault(topic, []).Where(s => s > start).ToHashSet();
                var got = subscriber.Received(topic);
                var gotSet = got.ToHashSet();
                expected += want.Count;
                delivered += got.Count;
                duplicates += got.Count - gotSet.Count;
                outOfOrder += got.Skip(1).Where((s, i) => s <= got[i]).Count();
                missing += want.Count(s => !gotSet.Contains(s));
                unexpected += got.Count(s => !want.Contains(s));
                if (cut.Contains(subscriber))
                {
                    cutExpected += want.Count;
                    cutDelivered += got.Count;
                }
            }
        }

        return new FanOutResult(subscribers.Count, cut.Count, events, expected, delivered, missing, duplicates, outOfOrder, unexpected,
            subscribers.Sum(s => s.Resyncs), cutExpected, cutDelivered, write, drain);
    }

    /// <summary>The standalone worker's share: transactions of ten events on random topics, paced over the window.</summary>
    private static async Task WriteAsync(Deployment deployment, List<Guid> runs, int events, TimeSpan window, TaskCompletionSource halfWay)
    {
        var writer = new OutboxWriter(deployment.OpenRemoteDb, TimeProvider.System);
        var random = new Random(7);
        var transactions = (events + Transaction - 1) / Transaction;
        var clock = Stopwatch.StartNew();
        var written = 0;
        for (var t = 0; t < transactions; t++)
        {
            await PaceAsync(clock, window * t / transactions);
            var batch = Enumerable.Range(0, Math.Min(Transaction, events - written))
                .Select(i => (runs[random.Next(runs.Count)], new MetricPoint("bench/fanout", written + i, written + i)))
                .ToList();
            await writer.WriteAsync(batch, CancellationToken.None);
            written += batch.Count;
            if (written >= events / 2)
            {
                halfWay.TrySetResult();
            }
        }
    }

    /// <summary>External runs logged through a node's API, one event per batch, paced over the window.</summary>
    private static async Task LogAsync(HttpClient client, List<Guid> runs, int batches, int offset, TimeSpan window)
    {
        var clock = Stopwatch.StartNew();
        for (var b = 0; b < batches; b++)
        {
            await PaceAsync(clock, window * b / batches);
            var body = new { metrics = new[] { new { key = "bench/fanout-http", value = (double)b, step = (long)b, timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() } } };
            using var response = await client.PostAsJsonAsync($"/api/runs/{runs[((2 * b) + offset) % runs.Count]}/log-batch", body);
            response.EnsureSuccessStatusCode();
        }
    }

    private static async Task PaceAsync(Stopwatch clock, TimeSpan due)
    {
        if (due > clock.Elapsed)
        {
            await Task.Delay(due - clock.Elapsed);
        }
    }

    private static Task ForEachAsync(IEnumerable<HubSubscriber> subscribers, Func<HubSubscriber, Task> action) =>
        System.Threading.Tasks.Parallel.ForEachAsync(subscribers, new ParallelOptions { MaxDegreeOfParallelism = Parallel }, async (s, _) => await action(s));
}
