using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Domain.Datasets;
using Portal.Domain.Experiments;
using Portal.Domain.Runs;
using Portal.Ml.Catalog;
using Portal.Ml.DemoData;

namespace Portal.Worker.Tests.Infrastructure;

/// <summary>
/// A managed run as a submission leaves it: an experiment, a loan dataset stored in the artifact store with its version
/// and columns, and the queued run. Defaults train quickly (FastTree, 20 trees, 400 rows).
/// </summary>
public sealed class RunBuilder(IDbContextFactory<PortalDbContext> dbFactory, ContentAddressedStore store, TimeProvider time)
{
    private string _trainer = TrainerCatalog.FastTree;
    private Dictionary<string, double> _hyperparameters = new() { ["numberOfTrees"] = 20 };
    private int _rows = 400;

    public RunBuilder Training(string trainer, Dictionary<string, double> hyperparameters)
    {
        _trainer = trainer;
        _hyperparameters = hyperparameters;
        return this;
    }

    public RunBuilder WithRows(int rows)
    {
        _rows = rows;
        return this;
    }

    public async Task<RunId> QueuedAsync()
    {
        var now = time.GetUtcNow();
        using var csv = new MemoryStream();
        new LoanDefaultGenerator(seed: 7).Write(csv, _rows);
        csv.Position = 0;
        var blob = await store.PutAsync(csv, long.MaxValue);
        csv.Position = 0;
        // The profile an upload stores: monitoring compares live inputs with it (ranges, categories).
        var profile = JsonSerializer.Serialize(new DatasetAnalyzer().Analyze(csv).Columns, Portal.Application.Datasets.DatasetProfiles.Json);

        await using var db = await dbFactory.CreateDbContextAsync();
        var experiment = Experiment.Create($"experiment-{Guid.NewGuid():N}", "", "test-user", now);
        var dataset = Dataset.Create($"loans-{Guid.NewGuid():N}", "test-user", now);
        var columns = LoanDefaultGenerator.Schema.Select(c => DatasetColumn.Create(c.Ordinal, c.Name, c.Type, false, null));
        var version = DatasetVersion.Create(dataset.Id, dataset.NextVersion(), blob.Sha256, blob.Size, _rows, "loans.csv", profile, columns, "test-user", now);
        var run = Run.SubmitManaged(experiment.Id, version.Id, blob.Sha256, MlTask.Binary, _trainer, LoanDefaultGenerator.Label,
            _hyperparameters, 0.25, 1, "test-user", "Test User", now);
        db.AddRange(experiment, dataset, version, run);
        await db.SaveChangesAsync();
        return run.Id;
    }
}
