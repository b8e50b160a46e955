using Portal.Domain.Lineage;
using Portal.Domain.Registry;
using Portal.Domain.Tests.Registry;
using Portal.Domain.Tests.Rollouts;

namespace Portal.Domain.Tests.Lineage;

public sealed class LineageDerivationTests
{
    [Fact]
    public void PromotionRequestIsTheDecisionOnItsModelVersion()
    {
        var model = RegistryBuilder.Model();
        var version = RegistryBuilder.Version(model);
        var request = RegistryBuilder.Request(model, version);

        var edge = Assert.Single(LineageDerivation.EdgesOf(request));

        Assert.Equal(("modelVersion:" + version.Id, "promotion:" + request.Id, LineageEdgeKind.ApprovedBy), (edge.From.Key, edge.To.Key, edge.Kind));
    }

    [Fact]
    public void ModelVersionIsRegisteredFromItsRunWhichUsedItsDatasetVersions()
    {
        var model = RegistryBuilder.Model();
        var data = Portal.Domain.Datasets.DatasetVersionId.New(RegistryBuilder.Now);
        var version = model.RegisterVersion(RegistryBuilder.Registration() with { DatasetVersionIds = [data, data] }, RegistryBuilder.Scientist, RegistryBuilder.Now);

        var edges = LineageDerivation.EdgesOf(version).Select(e => (e.From, e.To, e.Kind)).ToList();

        Assert.Equal(
        [
            (LineageDerivation.Node(data), LineageDerivation.Node(version.RunId), LineageEdgeKind.UsedBy),
            (LineageDerivation.Node(version.RunId), LineageDerivation.Node(version.Id), LineageEdgeKind.RegisteredAs),
        ], edges);
    }

    [Fact]
    public void RolloutAndTheProductionPeriodItOpensNameTheSameDeployment()
    {
        var (model, rollout) = RolloutBuilder.Started();
        Assert.True(model.Apply(rollout.Transition, RolloutBuilder.Now).Succeeded);
        var period = model.ProductionHistory[^1];

        var started = Assert.Single(LineageDerivation.EdgesOf(rollout));
        var opened = Assert.Single(LineageDerivation.EdgesOf(period));

        Assert.Equal(LineageDerivation.Deployment(rollout.Transition.RequestId), started.To);
        Assert.Equal(LineageDerivation.Node(rollout.Transition.RequestId), started.From);
        Assert.Equal(LineageEdgeKind.DeployedAs, started.Kind);
        Assert.Equal((started.From, started.To, started.Kind), (opened.From, opened.To, opened.Kind));
    }

    [Fact]
    public void OtherRecordsImplyNoEdge()
    {
        Assert.Empty(LineageDerivation.EdgesOf(RegistryBuilder.Model()));
        Assert.Empty(LineageDerivation.EdgesOf("text"));
    }
}
