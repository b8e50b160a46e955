using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Portal.Bench.Api;
using Portal.Domain.Monitoring;
using Portal.Domain.Monitoring.Drift;

namespace Portal.Bench.Drift;

// Drift figures of issue 12, in one run on the same machine and the same data:
//  DriftDetector.Compare (KS or chi-square + PSI per feature) of a window of current rows against a reference, median of
//  several runs after warm-up, against bench/Portal.Bench.Drift/scipy_drift.py (scipy.stats.ks_2samp, chisquare, numpy PSI)
//  timed by itself on the same arrays; the ratio; and the largest difference between the two sets of statistics.
// Usage: Portal.Bench.Drift [runs=7] [currentRows=1000000] [referenceRows=100000] [features=20]
internal static class DriftBench
{
    private const double ShiftedMean = 0.25;

    public static async Task<int> Main(string[] args)
    {
        var culture = CultureInfo.InvariantCulture;
        var runs = args.Length > 0 ? int.Parse(args[0], culture) : 7;
        var currentRows = args.Length > 1 ? int.Parse(args[1], culture) : 1_000_000;
        var referenceRows = args.Length > 2 ? int.Parse(args[2], culture) : 100_000;
        var featureCount = args.Length > 3 ? int.Parse(args[3], culture) : 20;
        Console.WriteLine($"Machine load before: {Machine.Load()} ({Environment.ProcessorCount} cores)");
        Console.WriteLine($"{featureCount} features ({Categorical(featureCount)} categorical), {currentRows:N0} current rows against {referenceRows:N0} reference rows");

        var features = Enumerable.Range(0, featureCount).Select(i => Generate(i, featureCount, referenceRows, currentRows)).ToArray();
        var folder = Directory.CreateTempSubdirectory("portal-bench-drift-").FullName;
        try
        {
            Write(folder, features);

            var policy = MonitoringPolicy.Default;
            var build = Stopwatch.StartNew();
            var reference = DriftReference.Build([.. features.Select(f => f.Reference)]);
            build.Stop();
            var current = features.Select(f => f.Current).ToArray();
            DriftReport report = DriftDetector.Compare(reference, current, policy);
            DriftDetector.Compare(reference, current, policy);
            var times = new List<double>();
            var cpu = new List<double>();
            using var self = Process.GetCurrentProcess();
            for (var run = 0; run < runs; run++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                self.Refresh();
                var cpuBefore = self.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                report = DriftDetector.Compare(reference, current, policy);
                watch.Stop();
                self.Refresh();
                times.Add(watch.Elapsed.TotalSeconds);
                cpu.Add((self.TotalProcessorTime - cpuBefore).TotalSeconds);
            }

            times.Sort();
            cpu.Sort();
            var median = times[times.Count / 2];
            Console.WriteLine($"DriftReference.Build (once per model version): {build.Elapsed.TotalSeconds:F3} s");
            Console.WriteLine($"DriftDetector.Compare: median {median:F3} s of {runs} runs after 2 warm-up runs (min {times[0]:F3}, max {times[^1]:F3}); CPU time median {cpu[cpu.Count / 2]:F3} s; load {Machine.Load()}");

            var scipy = await RunScipyAsync(folder);
            var scipySeconds = scipy.GetProperty("seconds").GetDouble();
            Console.WriteLine($"SciPy {scipy.GetProperty("scipy").GetString()} (ks_2samp, chisquare, numpy PSI), same arrays: {scipySeconds:F3} s; load {Machine.Load()}");
            Console.WriteLine($"Ratio SciPy / Portal: {scipySeconds / median:F1}x");

            double maxStatistic = 0, maxP = 0, maxPsi = 0;
            var scipyFeatures = scipy.GetProperty("features").EnumerateArray().ToArray();
            Console.WriteLine($"{"feature",-12} {"test",-5} {"statistic",14} {"p-value",12} {"PSI",10} drifted | SciPy statistic, p-value, PSI");
            for (var i = 0; i < report.Features.Count; i++)
            {
                var ours = report.Features[i];
                var theirs = scipyFeatures[i];
                var statistic = theirs.GetProperty("statistic").GetDouble();
                var p = theirs.GetProperty("pValue").GetDouble();
                var psi = theirs.GetProperty("psi").GetDouble();
                maxStatistic = Math.Max(maxStatistic, Math.Abs(statistic - ours.Statistic) / Math.Max(1, Math.Abs(statistic)));
                maxP = Math.Max(maxP, Math.Abs(p - ours.PValue));
                maxPsi = Math.Max(maxPsi, Math.Abs(psi - ours.Psi) / Math.Max(1, Math.Abs(psi)));
                Console.WriteLine(string.Create(culture,
                    $"{ours.Name,-12} {ours.Test.ToString().ToLowerInvariant(),-5} {ours.Statistic,14:G6} {ours.PValue,12:G4} {ours.Psi,10:F5} {(ours.Drifted ? "yes" : "no"),-7} | {statistic:G6}, {p:G4}, {psi:F5}"));
            }

            Console.WriteLine(string.Create(culture,
                $"Max difference from SciPy: statistic {maxStatistic:E2} (relative above 1), p-value {maxP:E2}, PSI {maxPsi:E2} (relative above 1)"));
            var ok = maxStatistic <= 1e-9 && maxP <= 1e-9 && maxPsi <= 1e-9;
            Console.WriteLine(ok ? "Statistics equal SciPy's within 1e-9." : "MISMATCH: statistics differ from SciPy's by more than 1e-9.");
            return ok ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int Categorical(int featureCount) => featureCount / 4;

    private sealed record Feature(FeatureColumn Reference, FeatureColumn Current, string[] CategoryNames);

    /// <summary>
    /// Numeric features cycle through normal, exponential, integer-valued (ties) and uniform data; the last quarter are
    /// categorical with 3 to 12 categories (one with a category the reference never had). Every third feature is shifted
    /// in the current window; 0.5 % of values are missing.
    /// </summary>
    private static Feature Generate(int index, int featureCount, int referenceRows, int currentRows)
    {
        var random = new Random(1000 + index);
        var shifted = index % 3 == 0;
        var name = $"f{index:D2}";
        if (index < featureCount - Categorical(featureCount))
        {
            double Draw(double shift) => (index % 4) switch
            {
                0 => Normal(random) + shift,
                1 => -Math.Log(1 - random.NextDouble()) * (1 + shift),
                2 => Math.Floor((Normal(random) * 3) + 10 + (shift * 3)),
                _ => random.NextDouble() + (shift / 4),
            };

            double[] Column(int rows, double shift) =>
                [.. Enumerable.Range(0, rows).Select(_ => random.NextDouble() < 0.005 ? double.NaN : Draw(shift))];

            return new Feature(FeatureColumn.Numeric(name, Column(referenceRows, 0)), FeatureColumn.Numeric(name, Column(currentRows, shifted ? ShiftedMean : 0)), []);
        }

        var categories = 3 + (index % 10);
        var names = Enumerable.Range(0, categories + 1).Select(c => $"{name}-c{c}").ToArray();
        var weights = Enumerable.Range(0, categories).Select(c => 1.0 / (c + 1)).ToArray();
        var shiftedWeights = shifted ? [.. weights.Reverse()] : weights;
        var withUnseen = index == featureCount - 1;

        string?[] Draws(int rows, double[] w, bool unseen)
        {
            var total = w.Sum();
            var column = new string?[rows];
            for (var r = 0; r < rows; r++)
            {
                if (random.NextDouble() < 0.005)
                {
                    continue;
                }

                if (unseen && random.NextDouble() < 0.01)
                {
                    column[r] = names[categories];
                    continue;
                }

                var u = random.NextDouble() * total;
                var c = 0;
                while (c < w.Length - 1 && u >= w[c])
                {
                    u -= w[c];
                    c++;
                }

                column[r] = names[c];
            }

            return column;
        }

        return new Feature(FeatureColumn.Categorical(name, Draws(referenceRows, weights, false)),
            FeatureColumn.Categorical(name, Draws(currentRows, shiftedWeights, withUnseen)), names);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>The arrays as SciPy reads them: little-endian float64 (NaN missing) or int32 category codes (−1 missing).</summary>
    private static void Write(string folder, Feature[] features)
    {
        var manifest = new List<object>();
        foreach (var f in features)
        {
            var name = f.Reference.Name;
            if (f.Reference.Kind == FeatureKind.Numeric)
            {
                File.WriteAllBytes(Path.Combine(folder, name + ".reference.f64"), MemoryMarshal.AsBytes(f.Reference.Numbers.AsSpan()).ToArray());
                File.WriteAllBytes(Path.Combine(folder, name + ".current.f64"), MemoryMarshal.AsBytes(f.Current.Numbers.AsSpan()).ToArray());
                manifest.Add(new { name, kind = "numeric", reference = name + ".reference.f64", current = name + ".current.f64" });
            }
            else
            {
                var index = f.CategoryNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
                int[] Codes(string?[] values) => [.. values.Select(v => v is null ? -1 : index[v])];
                File.WriteAllBytes(Path.Combine(folder, name + ".reference.i32"), MemoryMarshal.AsBytes(Codes(f.Reference.Categories).AsSpan()).ToArray());
                File.WriteAllBytes(Path.Combine(folder, name + ".current.i32"), MemoryMarshal.AsBytes(Codes(f.Current.Categories).AsSpan()).ToArray());
                manifest.Add(new { name, kind = "categorical", reference = name + ".reference.i32", current = name + ".current.i32", categories = f.CategoryNames });
            }
        }

        File.WriteAllText(Path.Combine(folder, "manifest.json"), JsonSerializer.Serialize(new { features = manifest }));
    }

    private static async Task<JsonElement> RunScipyAsync(string folder)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "scipy_drift.py");
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("bench");
        start.ArgumentList.Add(folder);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scipy_drift.py failed ({process.ExitCode}): {await stderr}");
        }

        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
