using System.Globalization;
using Portal.Domain.Datasets;
using Portal.Domain.Runs;
using Portal.Ml.Catalog;
using Portal.Ml.DemoData;
using Portal.Ml.Governance;
using Portal.Ml.Training;

namespace Portal.Ml.Tests.Governance;

/// <summary>Trains real small models with <see cref="ModelTrainer"/> and writes the CSV files the governance tests evaluate on.</summary>
public sealed class GovernanceData : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("portal-governance-tests-").FullName;

    public string Folder => _folder;

    /// <summary>Loan rows (the demo generator) written to a file of their own.</summary>
    public string Loans(int rows, int seed)
    {
        var path = Path.Combine(_folder, $"loans-{rows}-{seed}.csv");
        if (!File.Exists(path))
        {
            new LoanDefaultGenerator(seed).WriteFile(path, rows);
        }

        return path;
    }

    /// <summary>
    /// The same rows with only the named columns (and the label), as a dataset version of its own: a file of those
    /// columns and its schema (ordinals 0..n-1). A model trained on it reads only those columns.
    /// </summary>
    public (string Csv, IReadOnlyList<ColumnSchema> Schema) LoanProjection(string csv, params string[] names)
    {
        var keep = LoanDefaultGenerator.Schema.Where(c => c.Name == LoanDefaultGenerator.Label || names.Contains(c.Name)).ToList();
        var path = Path.Combine(_folder, $"{Path.GetFileNameWithoutExtension(csv)}-{string.Join("-", names)}.csv");
        File.WriteAllLines(path, File.ReadLines(csv).Select(line =>
        {
            var fields = line.Split(',');
            return string.Join(",", keep.Select(c => fields[c.Ordinal]));
        }));
        return (path, [.. keep.Select((c, i) => c with { Ordinal = i })]);
    }

    /// <summary>
    /// Synthetic binary rows: <c>signal</c> decides the label, <c>noise1..3</c> and <c>colour</c> are noise, <c>group</c>
    /// shifts the label's rate strongly (A often positive, B rarely), <c>region</c> is unrelated to everything.
    /// </summary>
    public string Synthetic(int rows, int seed)
    {
        var path = Path.Combine(_folder, $"synthetic-{rows}-{seed}.csv");
        var random = new Random(seed);
        var lines = new List<string> { "signal,noise1,noise2,noise3,colour,group,region,label" };
        string[] colours = ["red", "green", "blue"];
        for (var i = 0; i < rows; i++)
        {
            var signal = (random.NextDouble() * 4) - 2;
            var group = random.NextDouble() < 0.5 ? "A" : "B";
            var z = (2.5 * signal) + (group == "A" ? 1.5 : -1.5);
            var label = random.NextDouble() < 1 / (1 + Math.Exp(-z));
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{signal:F4},{random.NextDouble():F4},{random.NextDouble():F4},{random.NextDouble():F4},{colours[random.Next(3)]},{group},{(random.NextDouble() < 0.5 ? "north" : "south")},{(label ? 1 : 0)}"));
        }

        File.WriteAllLines(path, lines);
        return path;
    }

    public static IReadOnlyList<ColumnSchema> SyntheticSchema { get; } =
    [
        new(0, "signal", ColumnType.Numeric), new(1, "noise1", ColumnType.Numeric), new(2, "noise2", ColumnType.Numeric),
        new(3, "noise3", ColumnType.Numeric), new(4, "colour", ColumnType.Categorical), new(5, "group", ColumnType.Categorical),
        new(6, "region", ColumnType.Categorical), new(7, "label", ColumnType.Boolean),
    ];

    /// <summary>Trains with the portal's trainer (validation fraction 0.25) and returns the model zip and the result.</summary>
    public async Task<(string Zip, TrainingResult Result)> TrainAsync(
        string csv, IReadOnlyList<ColumnSchema> schema, string label, MlTask task, string trainer, int seed = 1, Dictionary<string, double>? hyperparameters = null)
    {
        hyperparameters ??= TrainerCatalog.Find(task, trainer)!.Family == TrainerFamily.TreeEnsemble
            ? new Dictionary<string, double> { [trainer == TrainerCatalog.FastTree ? "numberOfTrees" : "numberOfIterations"] = 40 }
            : [];
        var zip = Path.Combine(_folder, $"model-{Guid.NewGuid():N}.zip");
        var result = await new ModelTrainer().TrainAsync(new TrainingRequest(csv, schema, label, task, trainer, hyperparameters, 0.25, seed, zip),
            new RecordingObserver(), CancellationToken.None);
        return (zip, result);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
