using Microsoft.EntityFrameworkCore;
using Portal.Application.Lineage;
using Portal.Data;
using Portal.Data.Lineage;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Experiments;
using Portal.Domain.Lineage;
using Portal.Domain.Runs;

namespace Portal.Worker.Tests.Lineage;

/// <summary>Saving a dataset version, run, model version, promotion and deployment records their lineage edges, once, in the same transaction.</summary>
public sealed class LineageRecordingTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>
{
    [Fact]
    public async Task EachSavedRecordAddsItsEdgeFromDatasetToDeployment()
    {
        var chain = await LineageScenario.SeedAsync(database.Factory, "recorded-chain");

        var edges = await EdgesOfAsync(chain);

        Assert.Equal(
        [
            (chain.DatasetNode, chain.DataNode, LineageEdgeKind.DerivedFrom),
            (chain.DataNode, chain.RunNode, LineageEdgeKind.UsedBy),
            (chain.RunNode, chain.VersionNode, LineageEdgeKind.RegisteredAs),
            (chain.VersionNode, chain.PromotionNode, LineageEdgeKind.ApprovedBy),
            (chain.PromotionNode, chain.DeploymentNode, LineageEdgeKind.DeployedAs),
        ], edges);
    }

    [Fact]
    public async Task ModelVersionOfARunThatUsedItsDataAddsNoSecondUsedByEdge()
    {
        var chain = await LineageScenario.SeedAsync(database.Factory, "no-duplicate-used-by", deploy: false);

        var edges = await EdgesOfAsync(chain);

        Assert.Single(edges, e => e.Kind == LineageEdgeKind.UsedBy);
    }

    [Fact]
    public async Task AnEdgeAlreadyStoredIsNotInsertedAgain()
    {
        var chain = await LineageScenario.SeedAsync(database.Factory, "stored-once");

        // A rollout of the same promotion, or an event received twice, names an edge that is already there.
        await LineageScenario.SaveAsync(database.Factory, db =>
        {
            LineageRecorder.Record(db, chain.PromotionNode, chain.DeploymentNode, LineageEdgeKind.DeployedAs, LineageScenario.Now);
            LineageRecorder.Record(db, chain.PromotionNode, chain.DeploymentNode, LineageEdgeKind.DeployedAs, LineageScenario.Now);
        });

        Assert.Single(await EdgesOfAsync(chain), e => e.Kind == LineageEdgeKind.DeployedAs);
    }

    [Fact]
    public async Task RunWithoutDatasetVersionIsRegisteredWithTheVersionsItNames()
    {
        var chain = await LineageScenario.SeedAsync(database.Factory, "external-run", deploy: false);
        var experiment = Experiment.Create("external-run-2", "", "scientist", LineageScenario.Now);
        var external = Run.StartExternal(experiment.Id, null, null, null, null, null, "scientist", "Scientist", LineageScenario.Now);
        await LineageScenario.SaveAsync(database.Factory, db =>
        {
            db.Experiments.Add(experiment);
            db.Runs.Add(external);
        });
        Assert.DoesNotContain(await LineageScenario.EdgesAsync(database.Factory), e => e.To == LineageDerivation.Node(external.Id));

        await using (var db = await database.Factory.CreateDbContextAsync())
        {
            var model = await db.RegisteredModels.Include(m => m.Versions).FirstAsync(m => m.Id == chain.Model.Id);
            model.RegisterVersion(new Domain.Registry.VersionRegistration(external.Id, "scientist", [chain.Data.Id], [new("churned", "Boolean")],
                new Dictionary<string, double> { ["accuracy"] = 0.8 }, new string('d', 64)), "scientist", LineageScenario.Now.AddMinutes(9));
            await db.SaveChangesAsync();
        }

        var edges = await LineageScenario.EdgesAsync(database.Factory);
        Assert.Contains((chain.DataNode, LineageDerivation.Node(external.Id), LineageEdgeKind.UsedBy), edges);
    }

    [Fact]
    public async Task FailedSaveWritesNoEdge()
    {
        // A run in an experiment that does not exist: the foreign key refuses the save.
        var run = Run.SubmitManaged(ExperimentId.New(LineageScenario.Now), Domain.Datasets.DatasetVersionId.New(LineageScenario.Now), new string('a', 64),
            MlTask.Binary, "FastTree", "churned", new Dictionary<string, double>(), 0.2, 1, "scientist", "Scientist", LineageScenario.Now);

        await Assert.ThrowsAsync<DbUpdateException>(() => LineageScenario.SaveAsync(database.Factory, db => db.Runs.Add(run)));

        Assert.DoesNotContain(await LineageScenario.EdgesAsync(database.Factory), e => e.To == LineageDerivation.Node(run.Id));
    }

    [Fact]
    public async Task BackfillRestoresTheEdgesOfRecordsSavedBeforeTheGraphAndIsIdempotent()
    {
        var chain = await LineageScenario.SeedAsync(database.Factory, "backfilled");
        var before = await EdgesOfAsync(chain);
        await using (var db = await database.Factory.CreateDbContextAsync())
        {
            await db.LineageEdges.ExecuteDeleteAsync();
        }

        var added = await LineageBackfill.RunAsync(database.Factory, CancellationToken.None);
        var again = await LineageBackfill.RunAsync(database.Factory, CancellationToken.None);

        Assert.True(added >= before.Count, $"added {added}");
        Assert.Equal(before, await EdgesOfAsync(chain));
        Assert.Equal(0, again);
    }

    private async Task<List<(LineageNodeRef From, LineageNodeRef To, LineageEdgeKind Kind)>> EdgesOfAsync(LineageChain chain)
    {
        LineageNodeRef[] nodes = [chain.DatasetNode, chain.DataNode, chain.RunNode, chain.VersionNode, chain.PromotionNode, chain.DeploymentNode];
        return [.. (await LineageScenario.EdgesAsync(database.Factory)).Where(e => nodes.Contains(e.To)).OrderBy(e => Array.IndexOf(nodes, e.To))];
    }
}
