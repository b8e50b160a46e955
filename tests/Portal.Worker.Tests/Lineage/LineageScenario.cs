using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Datasets;
using Portal.Domain.Experiments;
using Portal.Domain.Lineage;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Security;

namespace Portal.Worker.Tests.Lineage;

/// <summary>One chain as the use cases save it, a record per save: dataset → version → run → model version → promotion → deployment.</summary>
internal sealed record LineageChain(Dataset Dataset, DatasetVersion Data, Run Run, RegisteredModel Model, ModelVersion Version, PromotionRequest Request)
{
    public LineageNodeRef DatasetNode => LineageDerivation.Node(Dataset.Id);

    public LineageNodeRef DataNode => LineageDerivation.Node(Data.Id);

    public LineageNodeRef RunNode => LineageDerivation.Node(Run.Id);

    public LineageNodeRef VersionNode => LineageDerivation.Node(Version.Id);

    public LineageNodeRef PromotionNode => LineageDerivation.Node(Request.Id);

    public LineageNodeRef DeploymentNode => LineageDerivation.Deployment(Request.Id);
}

internal static class LineageScenario
{
    public static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Saves the chain; <paramref name="personal"/> gives the data an e-mail column the detector suspects (unclassified);
    /// <paramref name="deploy"/> applies the promotion (a production period opens: the deployment starts).
    /// </summary>
    public static async Task<LineageChain> SeedAsync(IDbContextFactory<PortalDbContext> factory, string name, bool personal = false, bool deploy = true)
    {
        var dataset = Dataset.Create(name, "scientist", Now);
        DatasetColumn[] columns =
        [
            DatasetColumn.Create(0, personal ? "email" : "tenure", personal ? ColumnType.Text : ColumnType.Numeric, personal, personal ? "Values look like e-mail addresses." : null),
            DatasetColumn.Create(1, "churned", ColumnType.Boolean, false, null),
        ];
        var data = DatasetVersion.Create(dataset.Id, dataset.NextVersion(), new string('a', 64), 100, 10, $"{name}.csv", "[]", columns, "scientist", Now);
        await SaveAsync(factory, db =>
        {
            db.Datasets.Add(dataset);
            db.DatasetVersions.Add(data);
        });

        var experiment = Experiment.Create(name, "", "scientist", Now);
        var run = Run.SubmitManaged(experiment.Id, data.Id, data.Sha256, MlTask.Binary, "FastTree", "churned", new Dictionary<string, double>(), 0.2, 1,
            "scientist", "Scientist", Now.AddMinutes(1));
        await SaveAsync(factory, db =>
        {
            db.Experiments.Add(experiment);
            db.Runs.Add(run);
        });

        var model = RegisteredModel.Create(name, "Predicts churn", "scientist", [Roles.DataScientist], RiskTier.Low, Now);
        var version = model.RegisterVersion(new VersionRegistration(run.Id, "scientist", [data.Id], [new InputFeature("churned", "Boolean")],
            new Dictionary<string, double> { ["accuracy"] = 0.9 }, new string('c', 64)), "scientist", Now.AddMinutes(2));
        await SaveAsync(factory, db => db.RegisteredModels.Add(model));

        var request = PromotionRequest.Create(model, version, ModelStage.Production, "Better on the hold-out.", "scientist", Now.AddMinutes(3));
        await SaveAsync(factory, db => db.PromotionRequests.Add(request));

        if (deploy)
        {
            await DeployAsync(factory, model.Id, request, Now.AddMinutes(4));
        }

        return new(dataset, data, run, model, version, request);
    }

    /// <summary>Applies an approved promotion to Production, as the workflow does: a production period opens.</summary>
    public static async Task DeployAsync(IDbContextFactory<PortalDbContext> factory, RegisteredModelId modelId, PromotionRequest request, DateTimeOffset at)
    {
        await using var db = await factory.CreateDbContextAsync();
        var tracked = await db.RegisteredModels.Include(m => m.Versions).FirstAsync(m => m.Id == modelId);
        var applied = tracked.Apply(new PromotionTransition(request.Id, modelId, request.VersionId, ModelStage.Production, ["manager"], "Approved.",
            new string('e', 64), false), at);
        Assert.True(applied.Succeeded, applied.ToString());
        await db.SaveChangesAsync();
    }

    public static async Task SaveAsync(IDbContextFactory<PortalDbContext> factory, Action<PortalDbContext> change)
    {
        await using var db = await factory.CreateDbContextAsync();
        change(db);
        await db.SaveChangesAsync();
    }

    public static async Task<List<(LineageNodeRef From, LineageNodeRef To, LineageEdgeKind Kind)>> EdgesAsync(IDbContextFactory<PortalDbContext> factory)
    {
        await using var db = await factory.CreateDbContextAsync();
        var edges = await db.LineageEdges.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        return [.. edges.Select(e => (e.From, e.To, e.Kind))];
    }
}
