namespace Portal.Bench.Api;

internal static class Machine
{
    /// <summary>The 1/5/15-minute load averages: other builds share these cores, so every figure carries the load it ran under.</summary>
    public static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
