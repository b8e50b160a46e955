using System.Diagnostics;
using System.Net.Http.Json;
using Portal.Bench.Api;
using Portal.Domain.Runs;
using Portal.Web.Features.Runs;

namespace Portal.Bench.Live;

/// <summary>Event-to-subscriber latency of one path, with the targets it is held to.</summary>
internal sealed record LatencyResult(string Path, bool CrossProcess, Percentiles Latency, int Lost, Percentiles Write, bool Judged = true)
{
    public const double CrossP50Target = 50;
    public const double CrossP99Target = 150;
    public const double InProcessP99Target = 50;

    public bool Met => !Judged || (Lost == 0 && (CrossProcess
        ? Latency.P50 <= CrossP50Target && Latency.P99 <= CrossP99Target
        : Latency.P99 <= InProcessP99Target));

    public string Target => !Judged ? "(for information)" : CrossProcess ? $"p50 <= {CrossP50Target} ms, p99 <= {CrossP99Target} ms" : $"p99 <= {InProcessP99Target} ms";
}

/// <summary>
/// Event to hub subscriber, measured with real SignalR clients on both web nodes. Each event carries its send time
/// (the benchmark's monotonic clock, in ms) as the value of a curve point and its index as the step; a subscriber's
/// handler subtracts it from the time it runs. Events go one at a time, the next after every subscriber had the last
/// and a random 5-45 ms pause (or a silence, to see the idle tail's slower poll), so the send falls anywhere in the nodes' 25 ms poll. The send time is taken before the
/// write begins: a latency includes the writer's transaction (and, for log-batch, the HTTP request); how long the
/// write itself took (SaveChanges, or the POST until its response) is recorded beside it.
/// </summary>
internal static class LatencyBenchmark
{
    private const string Key = "bench/latency";
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    /// <summary>Longer than the tail's 2 s before it slows its poll when idle (LiveEventTail.IdleAfter).</summary>
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(2.5);

    public static async Task<IReadOnlyList<LatencyResult>> RunAsync(Deployment deployment, LiveBenchOptions options)
    {
        using var client = deployment.Client(deployment.A);
        var results = new List<LatencyResult>();

        // (a) A standalone worker's points: written by another process, subscribers on both nodes.
        var workerRun = await deployment.CreateExternalRunAsync(client, "live-bench-latency");
        var writer = new OutboxWriter(deployment.OpenRemoteDb, TimeProvider.System);
        Task Write(long step, double sentMs) => writer.WriteAsync([(workerRun, new MetricPoint(Key, sentMs, step))], CancellationToken.None);
        var (byNode, writes) = await MeasureAsync(deployment, workerRun, options.Warmup, options.Samples, Streaming, Write);
        results.Add(Result("standalone writer process -> hub on node A", true, byNode[deployment.A], options.Samples, writes));
        results.Add(Result("standalone writer process -> hub on node B", true, byNode[deployment.B], options.Samples, writes));

        // The price of the idle tail's slower poll: the first event after a silence, from another process.
        if (options.SilenceSamples > 0)
        {
            var quietRun = await deployment.CreateExternalRunAsync(client, "live-bench-latency");
            (byNode, writes) = await MeasureAsync(deployment, quietRun, 0, options.SilenceSamples, _ => Silence,
                (step, sentMs) => writer.WriteAsync([(quietRun, new MetricPoint(Key, sentMs, step))], CancellationToken.None));
            results.Add(Result($"standalone writer -> hubs on A and B, first event after {Silence.TotalSeconds} s of silence", true,
                [.. byNode[deployment.A], .. byNode[deployment.B]], 2 * options.SilenceSamples, writes, judged: false));
        }

        // (b) An external run logged through node A's API: node B's subscriber is across processes, node A's in-process.
        var externalRun = await deployment.CreateExternalRunAsync(client, "live-bench-latency");
        (byNode, writes) = await MeasureAsync(deployment, externalRun, options.Warmup, options.Samples, Streaming, async (step, sentMs) =>
        {
            var body = new { metrics = new[] { new { key = Key, value = sentMs, step, timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() } } };
            using var response = await client.PostAsJsonAsync($"/api/runs/{externalRun}/log-batch", body);
            response.EnsureSuccessStatusCode();
        });
        results.Add(Result("log-batch on node A -> hub on node B", true, byNode[deployment.B], options.Samples, writes));
        results.Add(Result("log-batch on node A -> hub on node A (in-process)", false, byNode[deployment.A], options.Samples, writes));
        return results;
    }

    /// <summary>A stream of events: the next a random 5-45 ms after the last arrived, so sends fall anywhere in the poll.</summary>
    private static TimeSpan Streaming(Random random) => TimeSpan.FromMilliseconds(random.Next(5, 45));

    private static LatencyResult Result(string path, bool crossProcess, List<double> millis, int sent, List<double> writes, bool judged = true)
    {
        var result = new LatencyResult(path, crossProcess, Percentiles.Of(millis), sent - millis.Count, Percentiles.Of(writes), judged);
        Console.WriteLine($"    {path}: {result.Latency}{(result.Lost > 0 ? $", {result.Lost} not received within 5 s" : "")}; the write itself {result.Write}");
        return result;
    }

    private static async Task<(Dictionary<WebNode, List<double>> ByNode, List<double> Writes)> MeasureAsync(Deployment deployment, Guid runId, int warmup, int samples,
        Func<Random, TimeSpan> gap, Func<long, double, Task> send)
    {
        WebNode[] nodes = [deployment.A, deployment.B];
        var latencies = nodes.ToDictionary(n => n, _ => new List<double>());
        var writes = new List<double>();
        var current = -1L;
        var outstanding = 0;
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        void OnUpdate(WebNode node, RunUpdateMessage update)
        {
            var now = Clock.Elapsed.TotalMilliseconds;
            foreach (var point in update.Points)
            {
                if (point.Key == Key && point.Step == Volatile.Read(ref current))
                {
                    if (point.Step >= warmup)
                    {
                        lock (latencies)
                        {
                            latencies[node].Add(now - point.Value);
                        }
                    }

                    if (Interlocked.Decrement(ref outstanding) == 0)
                    {
                        Volatile.Read(ref arrived).TrySetResult();
                    }
                }
            }
        }

        var subscribers = nodes.Select((node, i) => (Node: node, Subscriber: new HubSubscriber(i, HubKind.Runs, [runId], deployment.Token, OnUpdate))).ToList();
        try
        {
            foreach (var (node, subscriber) in subscribers)
            {
                await subscriber.ConnectAndSubscribeAsync(node);
            }

            var random = new Random(42);
            for (long step = 0; step < warmup + samples; step++)
            {
                await Task.Delay(gap(random));
                Volatile.Write(ref arrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                Volatile.Write(ref outstanding, nodes.Length);
                Volatile.Write(ref current, step);
                var sent = Clock.Elapsed.TotalMilliseconds;
                await send(step, sent);
                if (step >= warmup)
                {
                    writes.Add(Clock.Elapsed.TotalMilliseconds - sent);
                }

                await Task.WhenAny(arrived.Task, Task.Delay(TimeSpan.FromSeconds(5)));
            }
        }
        finally
        {
            foreach (var (_, subscriber) in subscribers)
            {
                await subscriber.DisposeAsync();
            }
        }

        return (latencies, writes);
    }
}
