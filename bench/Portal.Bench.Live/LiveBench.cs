// The live-event path across real processes (docs/benchmarks.md, "Live events"). Release build:
//   dotnet build -c Release bench/Portal.Bench.Live && dotnet bench/Portal.Bench.Live/bin/Release/net10.0/Portal.Bench.Live.dll
//       [--providers sqlite,postgres] [--samples 300] [--warmup 20] [--silence-samples 8] [--subscribers-per-node 100] [--events 10000]
//       [--topics 10] [--write-seconds 20] [--idle-seconds 30] [--web-dll PATH] [--keep]
// Smoke: --providers sqlite --samples 30 --subscribers-per-node 10 --events 1000 --write-seconds 5 --idle-seconds 5
using System.Globalization;
using Portal.Bench.Api;

namespace Portal.Bench.Live;

/// <summary>Entry point; not top-level statements, whose <c>Program</c> class would clash with the web app's.</summary>
internal static class LiveBench
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var options = LiveBenchOptions.Parse(args);
        var webDll = Path.GetFullPath(options.WebDll ?? Path.Combine(RepositoryRoot(), "src", "Portal.Web", "bin", "Release", "net10.0", "Portal.Web.dll"));
        if (!File.Exists(webDll))
        {
            Console.Error.WriteLine($"{webDll} not found: build it first (dotnet build -c Release bench/Portal.Bench.Live builds it).");
            return 2;
        }

        var started = DateTime.UtcNow;
        var loadBefore = Machine.Load();
        Console.WriteLine($"Portal.Bench.Live {started:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {loadBefore}, web {webDll}");
        Console.WriteLine($"  {options}");

        var rows = new List<string[]>();
        var allMet = true;
        foreach (var provider in options.Providers)
        {
            Console.WriteLine($"{provider}: starting two web nodes on one database");
            await using var deployment = await Deployment.StartAsync(provider, webDll, options.Keep);
            Console.WriteLine($"  node A pid {deployment.A.ProcessId} at {deployment.A.BaseAddress}, node B pid {deployment.B.ProcessId} at {deployment.B.BaseAddress}; load {Machine.Load()}");

            Console.WriteLine($"  idle CPU ({options.IdleSeconds} s, no requests, no connections; control node C polls every 5 s):");
            await using (var control = await deployment.StartNodeAsync("C", new Dictionary<string, string> { ["LiveEvents__PollMilliseconds"] = "5000" }))
            {
                var idle = await IdleCpuBenchmark.RunAsync([deployment.A, deployment.B, control], TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(options.IdleSeconds));
                foreach (var node in idle.Take(2))
                {
                    var tail = node.PercentOfCore - idle[2].PercentOfCore;
                    var met = tail <= IdleCpuResult.TargetPercent;
                    allMet &= met;
                    rows.Add([provider, $"idle web process CPU, node {node.Node[^1]} (tail's share: minus control node C, same window, poll 5 s)",
                        $"{node.PercentOfCore:F2} % of a core ({node.Cpu.TotalMilliseconds:F0} ms in {node.Window.TotalSeconds:F0} s); C {idle[2].PercentOfCore:F2} %; tail {tail:F2} %",
                        $"tail <= {IdleCpuResult.TargetPercent} %", Verdict(met)]);
                }
            }

            Console.WriteLine($"  latency, event to hub subscriber ({options.Samples} events each, load {Machine.Load()}):");
            IReadOnlyList<LatencyResult> latencies;
            using (var probe = new WakeupProbe())
            {
                latencies = await LatencyBenchmark.RunAsync(deployment, options);
                var late = probe.Lateness();
                Console.WriteLine($"    control: a 5 ms sleep woke late by {late}");
                rows.Add([provider, "control: lateness of a 5 ms sleep in the benchmark process during the latency runs",
                    $"p50 {late.P50:F1} / p95 {late.P95:F1} / p99 {late.P99:F1} / max {late.Max:F1} ms (n={late.Count})", "(machine's scheduling delay)", "-"]);
            }

            foreach (var latency in latencies)
            {
                allMet &= latency.Met;
                var l = latency.Latency;
                rows.Add([provider, latency.Path, $"p50 {l.P50:F1} / p95 {l.P95:F1} / p99 {l.P99:F1} / max {l.Max:F1} ms (n={l.Count}{(latency.Lost > 0 ? $", {latency.Lost} lost" : "")}); the write itself p50 {latency.Write.P50:F1} / p99 {latency.Write.P99:F1} ms",
                    latency.Target, Verdict(latency.Met)]);
            }

            Console.WriteLine($"  fan-out, exactly once in order across a forced reconnect (load {Machine.Load()}):");
            var fanOut = await FanOutBenchmark.RunAsync(deployment, options);
            allMet &= fanOut.Passed;
            Console.WriteLine($"    {fanOut}");
            rows.Add([provider, $"fan-out: {fanOut.Subscribers} subscribers on 2 nodes, {fanOut.Events:N0} events on {options.Topics} topics, {fanOut.Reconnected} reconnected mid-stream",
                $"{fanOut.Delivered:N0} of {fanOut.Expected:N0} deliveries (reconnected: {fanOut.ReconnectedDelivered:N0} of {fanOut.ReconnectedExpected:N0}); " +
                $"missing {fanOut.Missing}, duplicates {fanOut.Duplicates}, out of order {fanOut.OutOfOrder}, unexpected {fanOut.Unexpected}, resyncs {fanOut.Resyncs}; " +
                $"written in {fanOut.Write.TotalSeconds:F1} s, last delivery {fanOut.Drain.TotalSeconds:F1} s after",
                "each event once, in order", Verdict(fanOut.Passed)]);
            if (options.Keep)
            {
                Console.WriteLine($"  kept {deployment.Folder} (nodes' logs: {deployment.A.LogPath}, {deployment.B.LogPath})");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Results ({started:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {loadBefore} before, {Machine.Load()} after; " +
            $"{(DateTime.UtcNow - started).TotalMinutes:F1} min):");
        Console.WriteLine();
        Console.WriteLine("| provider | measurement | result | target | met |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var row in rows)
        {
            Console.WriteLine($"| {string.Join(" | ", row)} |");
        }

        return allMet ? 0 : 1;
    }

    private static string Verdict(bool met) => met ? "yes" : "**no**";

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Portal.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Portal.sln not found above the benchmark's folder; pass --web-dll.");
    }
}
