using System.Globalization;

namespace Portal.Bench.Live;

/// <summary>Sizes of one run of the live-event benchmark; every one is a switch so a smoke run can be small.</summary>
internal sealed record LiveBenchOptions
{
    /// <summary>"sqlite", "postgres" or both, in that order.</summary>
    public IReadOnlyList<string> Providers { get; init; } = ["sqlite", "postgres"];

    /// <summary>Measured events per latency scenario (after <see cref="Warmup"/> uncounted ones).</summary>
    public int Samples { get; init; } = 300;

    public int Warmup { get; init; } = 20;

    /// <summary>Events sent each after a silence long enough for the nodes' tails to slow their idle poll.</summary>
    public int SilenceSamples { get; init; } = 8;

    public int SubscribersPerNode { get; init; } = 100;

    public int Events { get; init; } = 10_000;

    public int Topics { get; init; } = 10;

    /// <summary>How long the fan-out's writers take to write <see cref="Events"/> (they are paced, not flat out).</summary>
    public int WriteSeconds { get; init; } = 20;

    public int IdleSeconds { get; init; } = 30;

    /// <summary>The Release build of the web app, started once per node; found from the repository root when not given.</summary>
    public string? WebDll { get; init; }

    /// <summary>Keep the data folders and the nodes' logs (printed at the end) instead of deleting them.</summary>
    public bool Keep { get; init; }

    public static LiveBenchOptions Parse(string[] args)
    {
        var options = new LiveBenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--providers" => options with { Providers = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--samples" => options with { Samples = NextInt() },
                "--warmup" => options with { Warmup = NextInt() },
                "--silence-samples" => options with { SilenceSamples = NextInt() },
                "--subscribers-per-node" => options with { SubscribersPerNode = NextInt() },
                "--events" => options with { Events = NextInt() },
                "--topics" => options with { Topics = NextInt() },
                "--write-seconds" => options with { WriteSeconds = NextInt() },
                "--idle-seconds" => options with { IdleSeconds = NextInt() },
                "--web-dll" => options with { WebDll = Next() },
                "--keep" => options with { Keep = true },
                _ => throw new ArgumentException($"Unknown switch {args[i]}. See bench/Portal.Bench.Live/LiveBench.cs."),
            };
        }

        return options;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"providers {string.Join(",", Providers)}, latency samples {Samples} (+{Warmup} warm-up) and {SilenceSamples} after a silence, fan-out {SubscribersPerNode} subscribers x 2 nodes, " +
        $"{Events:N0} events on {Topics} topics in ~{WriteSeconds} s, idle window {IdleSeconds} s");
}
