using System.Globalization;

namespace Portal.Bench.Registry;

/// <summary>Sizes and counts of one harness run; every one is a command-line switch so CI can run a small smoke.</summary>
internal sealed record RegistryBenchOptions
{
    public int Models { get; init; } = 1_000;

    public int VersionsPerModel { get; init; } = 20;

    public int Pending { get; init; } = 200;

    /// <summary>The baseline registry, measured in the same run with the same pages: a handful of models.</summary>
    public int BaselineModels { get; init; } = 5;

    public int BaselineVersionsPerModel { get; init; } = 2;

    public int BaselinePending { get; init; } = 3;

    public int Requests { get; init; } = 200;

    public int Warmup { get; init; } = 20;

    /// <summary>Rows of the generated hold-out the real evaluator scores once to produce the evidence every request freezes.</summary>
    public int EvidenceRows { get; init; } = 5_000;

    public bool InProcess { get; init; }

    public bool SkipBaseline { get; init; }

    public static RegistryBenchOptions Parse(string[] args)
    {
        var options = new RegistryBenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--models" => options with { Models = NextInt() },
                "--versions" => options with { VersionsPerModel = NextInt() },
                "--pending" => options with { Pending = NextInt() },
                "--baseline-models" => options with { BaselineModels = NextInt() },
                "--baseline-versions" => options with { BaselineVersionsPerModel = NextInt() },
                "--baseline-pending" => options with { BaselinePending = NextInt() },
                "--requests" => options with { Requests = NextInt() },
                "--warmup" => options with { Warmup = NextInt() },
                "--evidence-rows" => options with { EvidenceRows = NextInt() },
                "--in-process" => options with { InProcess = true },
                "--no-baseline" => options with { SkipBaseline = true },
                _ => throw new ArgumentException($"Unknown switch {args[i]}. See bench/Portal.Bench.Registry/RegistryBench.cs."),
            };
        }

        if (options.Pending > options.Models || options.BaselinePending > options.BaselineModels)
        {
            throw new ArgumentException("At most one pending request per model: --pending must not exceed --models.");
        }

        if (options.VersionsPerModel < 3 || options.BaselineVersionsPerModel < 2)
        {
            throw new ArgumentException("--versions must be at least 3 (a champion history needs two) and --baseline-versions at least 2.");
        }

        return options;
    }
}
