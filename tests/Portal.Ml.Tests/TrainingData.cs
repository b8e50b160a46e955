using Portal.Domain.Datasets;
using Portal.Domain.Runs;
using Portal.Ml.DemoData;
using Portal.Ml.Training;

namespace Portal.Ml.Tests;

/// <summary>Builds small loan CSV files and training requests for tests; files live in a per-instance temp folder.</summary>
public sealed class TrainingData : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("portal-ml-tests-").FullName;

    public string LoanCsv(int rows = 1500, int seed = 7, double covariateDrift = 0, double conceptDrift = 0)
    {
        var path = Path.Combine(_folder, $"loans-{rows}-{seed}-{covariateDrift}-{conceptDrift}.csv");
        if (!File.Exists(path))
        {
            new LoanDefaultGenerator(seed).WriteFile(path, rows, covariateDrift, conceptDrift);
        }

        return path;
    }

    public TrainingRequest Request(MlTask task, string trainer, IReadOnlyDictionary<string, double>? hyperparameters = null, int seed = 1, int rows = 1500)
    {
        var label = task switch
        {
            MlTask.Binary => LoanDefaultGenerator.Label,
            MlTask.Multiclass => "employment",
            _ => "credit_score",
        };
        IReadOnlyList<ColumnSchema> schema = LoanDefaultGenerator.Schema;
        return new TrainingRequest(LoanCsv(rows), schema, label, task, trainer, hyperparameters ?? new Dictionary<string, double>(),
            0.25, seed, Path.Combine(_folder, $"model-{Guid.NewGuid():N}.zip"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
