using System.Globalization;

namespace Portal.Bench.Api;

/// <summary>Sizes and counts of one harness run; every one is a command-line switch so CI can run a small smoke.</summary>
internal sealed record BenchOptions
{
    public int Runs { get; init; } = 100_000;

    public int MetricsPerRun { get; init; } = 100;

    public int Experiments { get; init; } = 8;

    public int Requests { get; init; } = 200;

    public int Warmup { get; init; } = 20;

    public int IngestClients { get; init; } = 4;

    public int IngestBatchesPerClient { get; init; } = 100;

    public int BatchSize { get; init; } = 1000;

    public int Repeats { get; init; } = 2;

    public bool InProcess { get; init; }

    /// <summary>Only "list" or "ingest" (or "seed": neither); both when null.</summary>
    public string? Only { get; init; }

    /// <summary>Keep (or reuse, when it already holds a seeded portal.db) this folder instead of a fresh temp one.</summary>
    public string? DataDirectory { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--runs" => options with { Runs = NextInt() },
                "--metrics-per-run" => options with { MetricsPerRun = NextInt() },
                "--experiments" => options with { Experiments = NextInt() },
                "--requests" => options with { Requests = NextInt() },
                "--warmup" => options with { Warmup = NextInt() },
                "--ingest-clients" => options with { IngestClients = NextInt() },
                "--ingest-batches" => options with { IngestBatchesPerClient = NextInt() },
                "--repeats" => options with { Repeats = NextInt() },
                "--in-process" => options with { InProcess = true },
                "--only" => options with { Only = Next() },
                "--data-dir" => options with { DataDirectory = Next() },
                _ => throw new ArgumentException($"Unknown switch {args[i]}. See bench/Portal.Bench.Api/Program.cs."),
            };
        }

        return options;
    }
}
