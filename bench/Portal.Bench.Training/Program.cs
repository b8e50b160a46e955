using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Portal.Domain.Runs;
using Portal.Ml.Catalog;
using Portal.Ml.DemoData;
using Portal.Ml.Training;

// Bare ML.NET Fit vs instrumented ModelTrainer.TrainAsync on the same generated 100,000-row loan file.
// "Bare" = load the CSV, split, fit featurization + trainer (what a plain ML.NET program does to get a model).
// "Instrumented" = the whole TrainAsync: data diagnostics, featurization, curves, evaluation, saving the zip.
// Usage: dotnet run -c Release --project bench/Portal.Bench.Training -- [rows] [repetitions] [profile|live]
var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var repetitions = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var folder = Directory.CreateTempSubdirectory("portal-bench-").FullName;
var csv = Path.Combine(folder, "loans.csv");
new LoanDefaultGenerator(42).WriteFile(csv, rows);
if (args.Length > 2 && args[2] == "profile")
{
    foreach (var t in new[] { TrainerCatalog.LightGbm, TrainerCatalog.LbfgsLogisticRegression, TrainerCatalog.SdcaLogisticRegression })
    {
        for (var r = 0; r <= repetitions; r++)
        {
            // Wall and CPU time (all threads of the process) of each, so the profile shows how much of the overhead
            // is extra work and how much is a core left idle.
            var sw = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            BareFit(csv, TrainerCatalog.Find(MlTask.Binary, t)!, TrainerCatalog.Find(MlTask.Binary, t)!.Resolve(null));
            Console.WriteLine($"{t} bare {sw.Elapsed.TotalSeconds:F2}s (cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2}s)");
            var observer = new StageTimer();
            sw.Restart();
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            await new ModelTrainer().TrainAsync(new TrainingRequest(csv, LoanDefaultGenerator.Schema, LoanDefaultGenerator.Label, MlTask.Binary, t,
                new Dictionary<string, double>(), 0.2, 1, Path.Combine(folder, "p.zip")), observer, CancellationToken.None);
            Console.WriteLine($"{t} instrumented {sw.Elapsed.TotalSeconds:F2}s (cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2}s)");
        }
    }

    return;
}

if (args.Length > 2 && args[2] == "live")
{
    // A/B of LightGbm's live curve: TrainAsync with ML.NET's own fit (the baseline: curve points only once the replay
    // begins) and with the portal's loop on LightGBM's C API (points after every iteration), interleaved in one
    // process, LightGbm binary with the default 100 iterations and with 1,000. Per run: the whole TrainAsync, and when
    // the first curve point reached the observer.
    Console.WriteLine($"rows={rows} repetitions={repetitions} cores={Environment.ProcessorCount} ML.NET {ModelTrainer.LibraryVersion}");
    Console.WriteLine("| LightGbm iterations | ML.NET fit median (s) | native loop median (s) | native / ML.NET | first point, ML.NET fit (s) | first point, native loop (s) | AUC ML.NET / native |");
    Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
    foreach (var iterations in new[] { 100, 1000 })
    {
        var request = new TrainingRequest(csv, LoanDefaultGenerator.Schema, LoanDefaultGenerator.Label, MlTask.Binary, TrainerCatalog.LightGbm,
            new Dictionary<string, double> { ["numberOfIterations"] = iterations }, 0.2, 1, Path.Combine(folder, "live.zip"));
        var runs = new Dictionary<bool, List<(double Total, double FirstPoint, double Auc)>> { [false] = [], [true] = [] };
        for (var r = 0; r <= repetitions; r++)
        {
            foreach (var native in r % 2 == 0 ? new[] { false, true } : [true, false])
            {
                var observer = new FirstPointTimer();
                var result = await new ModelTrainer { NativeLightGbm = native }.TrainAsync(request, observer, CancellationToken.None);
                if (r > 0)
                {
                    runs[native].Add((observer.Elapsed.TotalSeconds, observer.FirstPoint!.Value.TotalSeconds, result.Metrics["areaUnderRocCurve"]));
                }
            }
        }

        double M(bool native, Func<(double Total, double FirstPoint, double Auc), double> pick) => Median(runs[native].Select(pick).ToList());
        Console.WriteLine(FormattableString.Invariant(
            $"| {iterations} | {M(false, x => x.Total):F2} | {M(true, x => x.Total):F2} | {M(true, x => x.Total) / M(false, x => x.Total):F2} | {M(false, x => x.FirstPoint):F2} | {M(true, x => x.FirstPoint):F2} | {M(false, x => x.Auc):F4} / {M(true, x => x.Auc):F4} |"));
    }

    Directory.Delete(folder, recursive: true);
    return;
}

Console.WriteLine($"rows={rows} repetitions={repetitions} cores={Environment.ProcessorCount} ML.NET {ModelTrainer.LibraryVersion}");
Console.WriteLine("| trainer | bare Fit median (s) | instrumented TrainAsync median (s) | ratio |");
Console.WriteLine("| --- | --- | --- | --- |");
foreach (var trainer in new[] { TrainerCatalog.LightGbm, TrainerCatalog.LbfgsLogisticRegression, TrainerCatalog.SdcaLogisticRegression })
{
    var descriptor = TrainerCatalog.Find(MlTask.Binary, trainer)!;
    var hp = descriptor.Resolve(null);
    var request = new TrainingRequest(csv, LoanDefaultGenerator.Schema, LoanDefaultGenerator.Label, MlTask.Binary, trainer,
        new Dictionary<string, double>(), 0.2, 1, Path.Combine(folder, $"{trainer}.zip"));
    var bare = new List<double>();
    var instrumented = new List<double>();
    for (var r = 0; r <= repetitions; r++)
    {
        var sw = Stopwatch.StartNew();
        BareFit(csv, descriptor, hp);
        var b = sw.Elapsed.TotalSeconds;
        sw.Restart();
        await new ModelTrainer().TrainAsync(request, NullTrainingObserver.Instance, CancellationToken.None);
        var i = sw.Elapsed.TotalSeconds;
        if (r > 0)
        {
            // Repetition 0 warms up the JIT and native libraries and is not counted.
            bare.Add(b);
            instrumented.Add(i);
        }
    }

    var mb = Median(bare);
    var mi = Median(instrumented);
    Console.WriteLine(FormattableString.Invariant($"| {trainer} | {mb:F2} | {mi:F2} | {mi / mb:F2} |"));
}

Directory.Delete(folder, recursive: true);

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static void BareFit(string csv, TrainerDescriptor descriptor, IReadOnlyDictionary<string, double> hp)
{
    // Same loader, featurization and trainer settings as the engine, fitted in one pipeline without curves.
    var ml = new MLContext(1);
    var columns = LoanDefaultGenerator.Schema.Select(c => new TextLoader.Column(c.Name,
        c.Name == LoanDefaultGenerator.Label ? DataKind.String : c.Type switch
        {
            Portal.Domain.Datasets.ColumnType.Numeric => DataKind.Single,
            Portal.Domain.Datasets.ColumnType.Date => DataKind.DateTime,
            _ => DataKind.String,
        }, c.Ordinal)).ToArray();
    var data = ml.Data.CreateTextLoader(new TextLoader.Options
    {
        Columns = columns,
        Separators = [','],
        HasHeader = true,
        AllowQuoting = true,
        TrimWhitespace = true,
        MissingRealsAsNaNs = true,
    }).Load(csv);
    var split = ml.Data.TrainTestSplit(data, 0.2, seed: 1);
    var numeric = new[] { "age", "annual_income", "loan_amount", "term_months", "credit_score", "debt_to_income", "previous_defaults" };
    IEstimator<ITransformer> pipeline = ml.Transforms.Conversion.MapValue("Label", new Dictionary<string, bool> { ["0"] = false, ["1"] = true }, LoanDefaultGenerator.Label)
        .Append(ml.Transforms.Conversion.ConvertType("__date", "birth_date", DataKind.Single))
        .Append(ml.Transforms.Concatenate("__numeric", [.. numeric, "__date"]))
        .Append(ml.Transforms.ReplaceMissingValues("__numeric"));
    if (descriptor.NeedsNormalization)
    {
        pipeline = pipeline.Append(ml.Transforms.NormalizeMinMax("__numeric"));
    }

    pipeline = pipeline
        .Append(ml.Transforms.Categorical.OneHotEncoding([new("__c0", "first_name"), new("__c1", "postcode"), new("__c2", "employment"), new("__c3", "purpose"), new("__c4", "has_guarantor")]))
        .Append(ml.Transforms.Concatenate("Features", "__numeric", "__c0", "__c1", "__c2", "__c3", "__c4"))
        .AppendCacheCheckpoint(ml)
        .Append(BenchTrainers.Create(ml, descriptor, hp));
    pipeline.Fit(split.TrainSet);
}

