using System.Diagnostics;

namespace Portal.Bench.Live;

/// <summary>CPU of one idle web node over a window, as a share of one core.</summary>
internal sealed record IdleCpuResult(string Node, TimeSpan Window, TimeSpan Cpu)
{
    public const double TargetPercent = 1.0;

    public double PercentOfCore => 100 * Cpu.TotalSeconds / Window.TotalSeconds;
}

/// <summary>
/// The cost of an idle portal's outbox tail: the whole web process's CPU time (user + system) over a window with no
/// requests and no hub connections, after a settling pause so start-up work (JIT tiering, seeding) is not counted.
/// Everything else a node does while idle is counted too, so this is an upper bound for the tail; a control node with
/// the poll at 5 s, measured in the same window, shows what the process costs without it.
/// </summary>
internal static class IdleCpuBenchmark
{
    public static async Task<IReadOnlyList<IdleCpuResult>> RunAsync(IReadOnlyList<WebNode> nodes, TimeSpan settle, TimeSpan window)
    {
        await Task.Delay(settle);
        var before = nodes.Select(n => n.CpuTime).ToArray();
        var clock = Stopwatch.StartNew();
        await Task.Delay(window);
        var elapsed = clock.Elapsed;
        var results = nodes.Select((n, i) => new IdleCpuResult(n.Name, elapsed, n.CpuTime - before[i])).ToList();
        foreach (var result in results)
        {
            Console.WriteLine($"    node {result.Node}: {result.Cpu.TotalMilliseconds:F0} ms CPU in {result.Window.TotalSeconds:F1} s = {result.PercentOfCore:F2} % of a core");
        }

        return results;
    }
}
