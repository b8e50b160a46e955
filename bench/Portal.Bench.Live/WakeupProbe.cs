using System.Diagnostics;
using Portal.Bench.Api;

namespace Portal.Bench.Live;

/// <summary>
/// The machine's own scheduling delay, as a control for the latencies: a thread that sleeps 5 ms again and again and
/// records how late it wakes. On a quiet machine that is well under a millisecond; when other builds keep the cores
/// busy, every hop of an event (commit, the node's poll, its pump, the socket, the client) can wait about this long.
/// </summary>
internal sealed class WakeupProbe : IDisposable
{
    private static readonly TimeSpan Nap = TimeSpan.FromMilliseconds(5);
    private readonly List<double> lateness = [];
    private readonly Thread thread;
    private volatile bool stop;

    public WakeupProbe()
    {
        thread = new Thread(Run) { IsBackground = true, Name = "wake-up probe" };
        thread.Start();
    }

    /// <summary>How late the probe woke, in ms, over its life so far.</summary>
    public Percentiles Lateness()
    {
        lock (lateness)
        {
            return Percentiles.Of(lateness.Count > 0 ? [.. lateness] : [0]);
        }
    }

    public void Dispose()
    {
        stop = true;
        thread.Join();
    }

    private void Run()
    {
        while (!stop)
        {
            var start = Stopwatch.GetTimestamp();
            Thread.Sleep(Nap);
            var late = Stopwatch.GetElapsedTime(start).TotalMilliseconds - Nap.TotalMilliseconds;
            lock (lateness)
            {
                lateness.Add(late);
            }
        }
    }
}
