using System.Diagnostics;
using System.Globalization;
using Portal.Domain.Datasets;
using Portal.Domain.Runs;
using Portal.Ml.Catalog;
using Portal.Ml.Governance;
using Portal.Ml.Training;

// Gate evaluation on a 100,000-row hold-out: 12 numeric features, 2 group columns (not model inputs), a binary label.
// Two LightGbm models are trained first (not timed): a champion of 30 trees on 6 of the features and a challenger of
// 100 trees on all 12. Timed: PromotionEvaluator.EvaluateAsync — both models scored, the paired tests (McNemar and the
// AUC bootstrap), permutation importance over the 12 features, one explanation, fairness over the 2 group columns.
// Usage: dotnet run -c Release --project bench/Portal.Bench.Governance -- [rows] [permutations] [permutationRows]
var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var permutations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
// permutationRows: "all" for every row; default: the evaluator's default (20,000).
int? permutationRows = args.Length > 2 ? (args[2] == "all" ? null : int.Parse(args[2], CultureInfo.InvariantCulture)) : new PromotionEvaluationOptions().PermutationRows;
var folder = Directory.CreateTempSubdirectory("portal-bench-governance-").FullName;
try
{
    IReadOnlyList<ColumnSchema> schema =
    [
        .. Enumerable.Range(0, 12).Select(i => new ColumnSchema(i, $"f{i + 1}", ColumnType.Numeric)),
        new(12, "gender", ColumnType.Categorical), new(13, "age_band", ColumnType.Categorical), new(14, "label", ColumnType.Boolean),
    ];
    var trainCsv = Write(Path.Combine(folder, "train.csv"), 50_000, seed: 1);
    var holdOut = Write(Path.Combine(folder, "holdout.csv"), rows, seed: 2);

    // The models read the 12 features only: their training schema leaves the group columns out (the trainer loads
    // only the schema's columns), so fairness is judged on columns the models never saw.
    var features = schema.Where(c => c.Name is not ("gender" or "age_band")).ToList();
    var championFeatures = features.Where(c => c.Name is "f1" or "f3" or "f5" or "f7" or "f9" or "f11" or "label").ToList();
    var champion = await Train(trainCsv, championFeatures, 30, "champion");
    var challenger = await Train(trainCsv, features, 100, "challenger");

    var options = new PromotionEvaluationOptions { Margin = 0.005, PermutationCount = permutations, PermutationRows = permutationRows };
    var request = new PromotionEvaluationRequest(ModelSource.FromFile(challenger), ModelSource.FromFile(champion), new EvaluationRows(holdOut, schema),
        "label", MlTask.Binary, ["gender", "age_band"]) { Options = options };

    Console.WriteLine($"rows={rows} features=12 groupColumns=2 permutations={permutations} permutationRows={permutationRows?.ToString(CultureInfo.InvariantCulture) ?? "all"} " +
        $"bootstrap={options.BootstrapResamples} cores={Environment.ProcessorCount} ML.NET {ModelTrainer.LibraryVersion}");
    var clock = Stopwatch.StartNew();
    var evidence = await new PromotionEvaluator().EvaluateAsync(request, (f, s, _) =>
    {
        Console.WriteLine(FormattableString.Invariant($"  {clock.Elapsed.TotalSeconds,6:F2}s {f,4:P0} {s}"));
        return ValueTask.CompletedTask;
    }, CancellationToken.None);
    var total = clock.Elapsed.TotalSeconds;

    Console.WriteLine("| stage | seconds |");
    Console.WriteLine("| --- | --- |");
    foreach (var t in evidence.Timings)
    {
        Console.WriteLine(FormattableString.Invariant($"| {t.Stage} | {t.Seconds:F2} |"));
    }

    Console.WriteLine(FormattableString.Invariant($"| **total** | **{total:F2}** |"));
    Console.WriteLine(evidence.Quality.Sentence);
    Console.WriteLine("Importance: " + string.Join(", ", evidence.FeatureImportance.Columns.Take(4).Select(c => FormattableString.Invariant($"{c.Column} {c.Importance:F4}±{c.StandardDeviation:F4}"))));
    Console.WriteLine("Fairness: " + evidence.Fairness.Statement);
    Console.WriteLine(total <= 10 ? "target (≤ 10 s) met" : "target (≤ 10 s) MISSED");
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static async Task<string> Train(string csv, IReadOnlyList<ColumnSchema> schema, int trees, string name)
{
    var zip = Path.Combine(Path.GetDirectoryName(csv)!, $"{name}.zip");
    var sw = Stopwatch.StartNew();
    var result = await new ModelTrainer().TrainAsync(new TrainingRequest(csv, schema, "label", MlTask.Binary, TrainerCatalog.LightGbm,
        new Dictionary<string, double> { ["numberOfIterations"] = trees }, 0.2, 1, zip), new QuietObserver(), CancellationToken.None);
    Console.WriteLine(FormattableString.Invariant($"trained {name}: {trees} trees on {schema.Count - 1} features, validation AUC {result.Metrics["areaUnderRocCurve"]:F4} ({sw.Elapsed.TotalSeconds:F1}s, not timed)"));
    return zip;
}

// f1..f12: f1–f4 carry most of the signal, f5–f8 a little, f9–f12 none; the label's rate also differs by gender a little.
static string Write(string path, int rows, int seed)
{
    var random = new Random(seed);
    using var writer = new StreamWriter(path);
    writer.WriteLine(string.Join(",", Enumerable.Range(1, 12).Select(i => $"f{i}").Concat(["gender", "age_band", "label"])));
    string[] bands = ["18-29", "30-44", "45-64", "65+"];
    var f = new double[12];
    for (var r = 0; r < rows; r++)
    {
        for (var i = 0; i < 12; i++)
        {
            f[i] = Normal(random);
        }

        var gender = random.NextDouble() < 0.5 ? "female" : "male";
        var z = (1.2 * f[0]) - (0.9 * f[1]) + (0.7 * f[2] * f[3]) + (0.3 * f[4]) + (0.2 * f[5]) - (0.2 * f[6]) + (0.1 * f[7]) + (gender == "male" ? 0.2 : 0) - 0.5;
        var label = random.NextDouble() < 1 / (1 + Math.Exp(-z));
        writer.Write(string.Join(",", f.Select(v => v.ToString("F4", CultureInfo.InvariantCulture))));
        writer.WriteLine($",{gender},{bands[random.Next(bands.Length)]},{(label ? 1 : 0)}");
    }

    return path;
}

static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

internal sealed class QuietObserver : ITrainingObserver
{
    public ValueTask ProgressAsync(double fraction, string stage, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask MetricsAsync(IReadOnlyList<MetricPoint> points, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask ClearCurveAsync(CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask LogAsync(string message, CancellationToken ct) => ValueTask.CompletedTask;
}
