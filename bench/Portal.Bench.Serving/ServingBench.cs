using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Portal.Bench.Api;
using Portal.Domain.Security;

namespace Portal.Bench.Serving;

// Serving figures of issue 11, all in one run on the same machine:
//  (a) single-row predict over real HTTP (Kestrel on loopback, bearer token), open loop at a fixed rate: p50/p99 latency
//      from each request's scheduled send time (so a stall is not hidden by sending later);
//  (b) batch predict throughput over HTTP against ML.NET's in-process batch Transform of the same model and rows;
//  (c) throughput with prediction logging on against the same endpoint with logging off (two hosts, one after the other).
// Both hosts run at once and are measured in alternating rounds after the same warm-up.
// Usage: Portal.Bench.Serving [openLoopSeconds=40 (over all rounds)] [requestsPerSecond=500] [throughputSeconds=5 (per round)] [rounds=4] [warmUpSeconds=10] [phases=all|single|batch]
// phases=single (or batch) runs only (c) for single-row (or 1,000-row) requests, in the given number of alternating rounds, with
// each phase's CPU time per request.
internal static class ServingBench
{
    public static async Task Main(string[] args)
    {
        // WebApplicationFactory reads MvcTestingAppManifest.json (where src/Portal.Web is) from the current directory.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        var culture = CultureInfo.InvariantCulture;
        var openLoopSeconds = args.Length > 0 ? int.Parse(args[0], culture) : 40;
        var rate = args.Length > 1 ? int.Parse(args[1], culture) : 500;
        var throughputSeconds = args.Length > 2 ? int.Parse(args[2], culture) : 5;
        var rounds = args.Length > 3 ? int.Parse(args[3], culture) : 4;
        var warmUpSeconds = args.Length > 4 ? int.Parse(args[4], culture) : 10;
        var only = args.Length > 5 ? args[5] : "all";
        const int Features = 12;
        const int BatchRows = 1000;

        var folder = Directory.CreateTempSubdirectory("portal-bench-serving-").FullName;
        try
        {
            Console.WriteLine($"Machine load before: {Machine.Load()} ({Environment.ProcessorCount} cores)");
            var (modelZip, ml, model) = Train(folder);
            var rows = Rows(seed: 99, count: 10_000);
            // Bodies are encoded once, and answers drained rather than kept (SendAsync): the generator shares the two cores with the server.
            var rowJson = rows.Select(r => JsonSerializer.SerializeToUtf8Bytes(new { rows = new[] { Row(r) } })).ToArray();
            var batchJson = Enumerable.Range(0, 10).Select(b => JsonSerializer.SerializeToUtf8Bytes(new { rows = rows.Skip(b * BatchRows).Take(BatchRows).Select(Row) })).ToArray();

            var inProcess = InProcessRowsPerSecond(ml, model, rows, throughputSeconds);
            Console.WriteLine($"(b) ML.NET in-process batch Transform: {inProcess:N0} rows/s");
            Console.WriteLine($"    serving engine in-process, one row per call (no HTTP): {EngineMicrosecondsPerRow(modelZip, rowJson):F1} µs per row");

            // Both hosts up at once, warmed up alike (tiered JIT, engines, connections), then measured in alternating rounds, so
            // neither host gets the other's warm-up and a swing in machine load hits both; figures are over all rounds.
            await using var on = new ServingHost(Path.Combine(folder, "on"), logPredictions: true);
            await using var off = new ServingHost(Path.Combine(folder, "off"), logPredictions: false);
            var arms = new List<(string Name, HttpClient Client, string Url, ServingHost Host)>();
            foreach (var (label, host) in new[] { ("on", on), ("off", off) })
            {
                var name = await host.DeployAsync(modelZip);
                arms.Add((label, await host.ClientAsync("scientist@portal.local", ApiScopes.Predict), $"/api/models/{name}/predict", host));
            }

            foreach (var arm in arms)
            {
                await ClosedLoopAsync(arm.Client, arm.Url, rowJson, 1, 8, warmUpSeconds);
                await ClosedLoopAsync(arm.Client, arm.Url, batchJson, BatchRows, 2, warmUpSeconds);
                await OpenLoopAsync(arm.Client, arm.Url, rowJson, rate, warmUpSeconds);
            }

            Console.WriteLine($"    (d) log writer alone, 100 flushes of 500 single-row requests into the logging host's database: {await on.LogWriterRowsPerSecondAsync(rowJson[0], 100, 500, 1)}");
            Console.WriteLine($"    (d) log writer alone, 40 flushes of 10 requests of {BatchRows:N0} rows: {await on.LogWriterRowsPerSecondAsync(batchJson[0], 40, 10, BatchRows)}");
            if (only is "single" or "batch")
            {
                await QuiesceAsync(on);
                await PairedRoundsAsync(arms.Select(a => (a.Name, a.Client, a.Url)).ToList(), on, only == "single" ? rowJson : batchJson, only == "single" ? 1 : BatchRows, rounds, throughputSeconds);
                return;
            }

            var latencies = new Dictionary<string, List<double>> { ["on"] = [], ["off"] = [] };
            var sendLags = new List<double>();
            var batch = new Dictionary<string, List<double>> { ["on"] = [], ["off"] = [] };
            var single = new Dictionary<string, List<double>> { ["on"] = [], ["off"] = [] };
            await QuiesceAsync(on);

            // (a) first, in alternating rounds (which host goes first alternates too), before the throughput phases fill the
            // log with hundreds of megabytes whose write-back would then run under the open loop.
            for (var round = 0; round < rounds; round++)
            {
                foreach (var arm in round % 2 == 0 ? arms : Enumerable.Reverse(arms))
                {
                    var pausedBefore = GC.GetTotalPauseDuration();
                    var cpu = CpuTimes.Read();
                    var (lat, lag) = await OpenLoopAsync(arm.Client, arm.Url, rowJson, rate, openLoopSeconds / rounds);
                    var paused = GC.GetTotalPauseDuration() - pausedBefore;
                    latencies[arm.Name].AddRange(lat);
                    sendLags.AddRange(lag);
                    Console.WriteLine(string.Create(culture, $"    (a) round {round + 1}, logging {arm.Name}: {Format(Percentiles.Of(lat))} (GC paused {paused.TotalMilliseconds:F0} ms; {CpuTimes.Read().Since(cpu)})"));
                    await QuiesceAsync(on);
                }
            }

            // (b) and (c): closed loops, alternating rounds; the logging host's queue is drained before the next phase starts.
            var inProcessRounds = new List<double> { inProcess };
            for (var round = 0; round < rounds; round++)
            {
                // The in-process baseline is measured again each round, beside the HTTP figures it is compared with.
                var baseline = InProcessRowsPerSecond(ml, model, rows, throughputSeconds);
                inProcessRounds.Add(baseline);
                Console.WriteLine(string.Create(culture, $"    (b) round {round + 1}, in-process Transform: {baseline:N0} rows/s"));
                foreach (var arm in round % 2 == 0 ? arms : Enumerable.Reverse(arms))
                {
                    var cpu = CpuTimes.Read();
                    var gen2 = GC.CollectionCount(2);
                    var b = await ClosedLoopAsync(arm.Client, arm.Url, batchJson, BatchRows, 2, throughputSeconds);
                    var batchCpu = $"{CpuTimes.Read().Since(cpu)}; {GC.CollectionCount(2) - gen2} gen-2 GCs";
                    await QuiesceAsync(on);
                    cpu = CpuTimes.Read();
                    var r = await ClosedLoopAsync(arm.Client, arm.Url, rowJson, 1, 8, throughputSeconds);
                    var singleCpu = CpuTimes.Read().Since(cpu);
                    await QuiesceAsync(on);
                    batch[arm.Name].Add(b);
                    single[arm.Name].Add(r);
                    Console.WriteLine(string.Create(culture, $"    (b/c) round {round + 1}, logging {arm.Name}: batch {b:N0} rows/s ({batchCpu}); single-row {r:N0} requests/s ({singleCpu})"));
                }
            }

            Console.WriteLine($"    requests logged: on {await on.LoggedBatchesAsync():N0}, off {await off.LoggedBatchesAsync():N0}; generator send lag behind schedule {Format(Percentiles.Of(sendLags))}");
            var latency = Percentiles.Of(latencies["on"]);
            var latencyOff = Percentiles.Of(latencies["off"]);
            inProcess = Median(inProcessRounds);
            double batchOn = Median(batch["on"]), batchOff = Median(batch["off"]), singleOn = Median(single["on"]), singleOff = Median(single["off"]);

            Console.WriteLine();
            Console.WriteLine($"(a) single-row at {rate}/s, logging on, from each request's scheduled send: p50 {latency.P50:F2} ms, p99 {latency.P99:F2} ms, max {latency.Max:F1} ms (target p99 <= 5 ms); logging off p50 {latencyOff.P50:F2} ms, p99 {latencyOff.P99:F2} ms");
            Console.WriteLine($"(b) HTTP batch {batchOn:N0} rows/s (logging on, median of {rounds}) / in-process {inProcess:N0} rows/s (median of {inProcessRounds.Count}) = {batchOn / inProcess:F2} (target >= 0.5); logging off {batchOff / inProcess:F2}");
            Console.WriteLine($"(c) logging on / off: batch {batchOn / batchOff:F2}, single-row {singleOn / singleOff:F2} ({singleOn:N0} / {singleOff:N0} requests/s) (target >= 0.9)");
            Console.WriteLine($"Machine load after: {Machine.Load()}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        static Dictionary<string, float> Row(float[] values)
        {
            var row = new Dictionary<string, float>(Features);
            for (var i = 0; i < Features; i++)
            {
                row[$"f{i}"] = values[i];
            }

            return row;
        }

        static float[][] Rows(int seed, int count)
        {
            var random = new Random(seed);
            return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, Features).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray())];
        }

        static (byte[] Zip, MLContext Ml, ITransformer Model) Train(string folder)
        {
            var random = new Random(7);
            var path = Path.Combine(folder, "train.csv");
            var lines = new List<string> { string.Join(',', Enumerable.Range(0, Features).Select(i => $"f{i}").Append("label")) };
            foreach (var row in Rows(seed: 7, count: 20_000))
            {
                var z = row.Select((v, i) => v * (i % 3 == 0 ? 1.0 : i % 3 == 1 ? -0.5 : 0.25)).Sum() + (row[0] * row[1]) + (random.NextDouble() - 0.5);
                lines.Add(string.Join(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).Append(z > 0 ? "true" : "false")));
            }

            File.WriteAllLines(path, lines);
            var ml = new MLContext(seed: 1);
            var columns = Enumerable.Range(0, Features).Select(i => new TextLoader.Column($"f{i}", DataKind.Single, i))
                .Append(new TextLoader.Column("label", DataKind.Boolean, Features)).ToArray();
            var data = ml.Data.LoadFromTextFile(path, columns, separatorChar: ',', hasHeader: true);
            var pipeline = ml.Transforms.Concatenate("Features", [.. Enumerable.Range(0, Features).Select(i => $"f{i}")])
                .Append(ml.BinaryClassification.Trainers.LightGbm("label", "Features"));
            var model = pipeline.Fit(data);
            using var zip = new MemoryStream();
            ml.Model.Save(model, data.Schema, zip);
            return (zip.ToArray(), ml, model);
        }

        static double EngineMicrosecondsPerRow(byte[] modelZip, byte[][] bodies)
    {
        using var zip = new MemoryStream(modelZip);
        var engine = Portal.Ml.Serving.ScoringEngine.Load(zip, [.. Enumerable.Range(0, Features).Select(i => new Portal.Domain.Registry.InputFeature($"f{i}", "Single"))],
            Portal.Domain.Runs.MlTask.Binary);
        var rows = bodies.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("rows")[0]).ToArray();
        foreach (var row in rows.Take(1000))
        {
            engine.Score([row]);
        }

        var clock = Stopwatch.StartNew();
        foreach (var row in rows)
        {
            engine.Score([row]);
        }

        return clock.Elapsed.TotalMicroseconds / rows.Length;
    }

    static double InProcessRowsPerSecond(MLContext ml, ITransformer model, float[][] rows, int seconds)
        {
            var view = ml.Data.LoadFromEnumerable(rows.Select(r => new BenchRow(r)));
            long scored = 0;
            double Pass()
            {
                var output = model.Transform(view);
                using var cursor = output.GetRowCursor(output.Schema.Where(c => c.Name is "PredictedLabel" or "Probability"));
                var label = cursor.GetGetter<bool>(output.Schema["PredictedLabel"]);
                var probability = cursor.GetGetter<float>(output.Schema["Probability"]);
                bool l = default;
                float p = default;
                double sum = 0;
                while (cursor.MoveNext())
                {
                    label(ref l);
                    probability(ref p);
                    sum += p;
                    scored++;
                }

                return sum;
            }

            Pass();
            scored = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                Pass();
            }

            return scored / clock.Elapsed.TotalSeconds;
        }

        // Open loop: a dedicated thread sends request i at i/rate seconds (sleeping, then yielding for the last stretch, so
        // sends are not late by a timer tick) without waiting for answers; each latency counts from the scheduled time,
        // so a stalled server is not hidden by sending later. Also returns how late each send left (the generator's lag).
        static async Task<(double[] Latencies, double[] SendLags)> OpenLoopAsync(HttpClient client, string url, byte[][] bodies, int rate, int seconds)
        {
            var total = rate * seconds;
            var latencies = new double[total];
            var lags = new double[total];
            var failures = 0;
            var tasks = new Task[total];
            var clock = Stopwatch.StartNew();
            var paced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var pacer = new Thread(() =>
            {
                for (var i = 0; i < total; i++)
                {
                    var due = TimeSpan.FromSeconds((double)i / rate);
                    TimeSpan remaining;
                    while ((remaining = due - clock.Elapsed) > TimeSpan.Zero)
                    {
                        if (remaining > TimeSpan.FromMilliseconds(1.5))
                        {
                            Thread.Sleep(1);
                        }
                        else
                        {
                            Thread.Yield();
                        }
                    }

                    lags[i] = (clock.Elapsed - due).TotalMilliseconds;
                    tasks[i] = Send(i, due);
                }

                paced.SetResult();
            }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
            pacer.Start();
            await paced.Task;
            await Task.WhenAll(tasks);
            if (failures > 0)
            {
                throw new InvalidOperationException($"{failures} of {total} predict requests failed.");
            }

            return (latencies, lags);

            async Task Send(int index, TimeSpan due)
            {
                if (!await SendAsync(client, url, bodies[index % bodies.Length]))
                {
                    Interlocked.Increment(ref failures);
                }

                latencies[index] = (clock.Elapsed - due).TotalMilliseconds;
            }
        }

        // Waits until the logging host has written what it was sent (its logged count holds still for a second), then settles its
        // disk: a phase after a batch phase would otherwise pay for the batches' checkpoint and write-back (hundreds of megabytes),
        // which the off host never has.
        static async Task QuiesceAsync(ServingHost host)
        {
            var last = -1;
            int now;
            while ((now = await host.LoggedBatchesAsync()) != last)
            {
                last = now;
                await Task.Delay(1000);
            }

            await host.SettleDiskAsync();
        }

        // (c) for one request size alone: alternating rounds (which host goes first alternates), each phase's requests per
        // second, the process's CPU time per request (server and generator share the process and the two cores) and its
        // garbage collections; the ratio of each round's pair and the ratio of the medians. The phase's start and end
        // (Stopwatch ticks, CLOCK_MONOTONIC nanoseconds on Linux) are printed for splitting a `perf record -k CLOCK_MONOTONIC` profile.
        static async Task PairedRoundsAsync(List<(string Name, HttpClient Client, string Url)> arms, ServingHost on, byte[][] bodies, int rowsPerBody, int rounds, int seconds)
        {
            var size = rowsPerBody == 1 ? "single-row" : $"{rowsPerBody:N0}-row";
            var culture = CultureInfo.InvariantCulture;
            var throughput = new Dictionary<string, List<double>> { ["on"] = [], ["off"] = [] };
            var paired = new List<double>();
            using var process = Process.GetCurrentProcess();
            for (var round = 0; round < rounds; round++)
            {
                foreach (var arm in round % 2 == 0 ? arms : Enumerable.Reverse(arms))
                {
                    process.Refresh();
                    var cpuTime = process.TotalProcessorTime;
                    var cpu = CpuTimes.Read();
                    int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
                    var paused = GC.GetTotalPauseDuration();
                    var t0 = Stopwatch.GetTimestamp();
                    var r = await ClosedLoopAsync(arm.Client, arm.Url, bodies, rowsPerBody, rowsPerBody == 1 ? 8 : 2, seconds) / rowsPerBody;
                    Console.WriteLine($"PHASE {arm.Name} {t0} {Stopwatch.GetTimestamp()}");
                    process.Refresh();
                    var microseconds = (process.TotalProcessorTime - cpuTime).TotalMicroseconds / (r * seconds);
                    Console.WriteLine(string.Create(culture,
                        $"    (c) round {round + 1}, logging {arm.Name}: {size} {r:N0} requests/s, {microseconds:F0} µs CPU per request, GCs {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2} paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms ({CpuTimes.Read().Since(cpu)})"));
                    throughput[arm.Name].Add(r);
                    await QuiesceAsync(on);
                }

                paired.Add(throughput["on"][^1] / throughput["off"][^1]);
            }

            Console.WriteLine();
            Console.WriteLine(string.Create(culture,
                $"(c) {size} logging on / off over {rounds} rounds: median of the rounds' ratios {Median(paired):F2} (each: {string.Join(", ", paired.Select(p => p.ToString("F2", culture)))}); ratio of medians {Median(throughput["on"]) / Median(throughput["off"]):F2} ({Median(throughput["on"]):N0} / {Median(throughput["off"]):N0} requests/s) (target >= 0.9)"));
        }

        static double Median(List<double> values)
        {
            var sorted = values.Order().ToArray();
            return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
        }

        // One predict request: the pre-encoded body sent, the answer read to its end through a pooled buffer; whether it succeeded.
        static async Task<bool> SendAsync(HttpClient client, string url, byte[] body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await response.Content.CopyToAsync(Stream.Null);
            return response.IsSuccessStatusCode;
        }

        static async Task<double> ClosedLoopAsync(HttpClient client, string url, byte[][] bodies, int rowsPerBody, int concurrency, int seconds)
        {
            long rows = 0;
            var clock = Stopwatch.StartNew();
            var until = TimeSpan.FromSeconds(seconds);
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
            {
                var i = worker;
                while (clock.Elapsed < until)
                {
                    if (!await SendAsync(client, url, bodies[i++ % bodies.Length]))
                    {
                        throw new InvalidOperationException($"A predict request to {url} failed.");
                    }

                    Interlocked.Add(ref rows, rowsPerBody);
                }
            })));
            return rows / clock.Elapsed.TotalSeconds;
        }

        static string Format(Percentiles p) => string.Create(CultureInfo.InvariantCulture, $"n={p.Count} p50={p.P50:F2} ms p95={p.P95:F2} ms p99={p.P99:F2} ms max={p.Max:F1} ms");
    }
}

/// <summary>One row of the 12 features, for ML.NET's in-process view.</summary>
internal sealed class BenchRow(float[] values)
{
    public float f0 { get; } = values[0];
    public float f1 { get; } = values[1];
    public float f2 { get; } = values[2];
    public float f3 { get; } = values[3];
    public float f4 { get; } = values[4];
    public float f5 { get; } = values[5];
    public float f6 { get; } = values[6];
    public float f7 { get; } = values[7];
    public float f8 { get; } = values[8];
    public float f9 { get; } = values[9];
    public float f10 { get; } = values[10];
    public float f11 { get; } = values[11];
}

/// <summary>The machine's CPU time split from /proc/stat, to show how much a phase lost to other tenants of the host (steal) or to I/O wait.</summary>
internal sealed record CpuTimes(long[] Ticks)
{
    public static CpuTimes Read() =>
        new(File.Exists("/proc/stat") ? [.. File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse)] : []);

    public string Since(CpuTimes before)
    {
        if (Ticks.Length < 8 || before.Ticks.Length < 8)
        {
            return "cpu split unknown";
        }

        var d = Ticks.Zip(before.Ticks, (a, b) => a - b).ToArray();
        double total = Math.Max(1, d.Take(8).Sum());
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"user {d[0] / total:P0} sys {d[2] / total:P0} iowait {d[4] / total:P0} steal {d[7] / total:P0}");
    }
}
