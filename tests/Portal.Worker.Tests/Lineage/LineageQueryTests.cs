using Microsoft.EntityFrameworkCore;
using Portal.Application;
using Portal.Application.Lineage;
using Portal.Data.Lineage;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Lineage;

namespace Portal.Worker.Tests.Lineage;

/// <summary>The lineage walk on a real SQLite database: depth, direction, labels, personal data, liveness, external nodes, the node limit.</summary>
public sealed class LineageQueryTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>
{
    private LineageQuery Query => new(database.Factory);

    [Fact]
    public async Task DownstreamOfADatasetVersionFollowsItToTheLiveDeploymentWithLabels()
    {
        var chain = await LineageScenario.SeedAsync(database.Factory, "down-labels");

        var graph = await GraphAsync(new LineageRequest(chain.DataNode, LineageDirection.Down, 10));

        Assert.Equal([chain.DataNode, chain.RunNode, chain.VersionNode, chain.PromotionNode, chain.DeploymentNode], graph.Nodes.Select(n => n.Ref));
        Assert.Equal([0, 1, 2, 3, 4], graph.Nodes.Select(n => n.Level));
        var labels = graph.Nodes.ToDictionary(n => n.Ref, n => n.Label);
        Assert.Equal("down-labels v1", labels[chain.DataNode]);
        Assert.StartsWith("FastTree in down-labels", labels[chain.RunNode]);
        Assert.Equal("down-labels v1 (Production)", labels[chain.VersionNode]);
        Assert.Equal("down-labels v1 → Production (Evaluating)", labels[chain.PromotionNode]);
        Assert.Equal("down-labels v1 in production (live)", labels[chain.DeploymentNode]);
        var deployment = graph.Nodes.Single(n => n.Ref == chain.DeploymentNode);
        Assert.True(deployment.Live);
        Assert.Null(graph.Nodes.Single(n => n.Ref == chain.RunNode).Live);
        Assert.Equal($"/datasets/{chain.Dataset.Id}?version=1", graph.Nodes[0].Url);
        Assert.Equal("/models/down-labels/versions/1", graph.Nodes.Single(n => n.Ref == chain.VersionNode).Url);
        Assert.Equal(4, graph.Edges.Count);
        Assert.False(graph.Truncated);
    }

    [Fact]
    public async Task DepthLimitsHowFarTheWalkGoes()
    {
        var chain = await LineageScenario.SeedAsync(database.Factory, "depth-two");

        var graph = await GraphAsync(new LineageRequest(chain.DataNode, LineageDirection.Down, 2));

        Assert.Equal([chain.DataNode, chain.RunNode, chain.VersionNode], graph.Nodes.Select(n => n.Ref));
        Assert.Equal([(chain.DataNode, chain.RunNode), (chain.RunNode, chain.VersionNode)], graph.Edges.Select(e => (e.From, e.To)));
    }

    [Fact]
    public async Task UpstreamOfADeploymentReachesItsRawDataAndNothingDownstream()
    {
        var chain = await LineageScenario.SeedAsync(database.Factory, "up-from-deployment");

        var up = await GraphAsync(new LineageRequest(chain.DeploymentNode, LineageDirection.Up, 10));
        var both = await GraphAsync(new LineageRequest(chain.VersionNode, LineageDirection.Both, 10));

        Assert.Equal([chain.DeploymentNode, chain.PromotionNode, chain.VersionNode, chain.RunNode, chain.DataNode, chain.DatasetNode], up.Nodes.Select(n => n.Ref));
        Assert.Equal(6, both.Nodes.Count);
        Assert.Equal(5, both.Edges.Count);
    }

    [Fact]
    public async Task PersonalDataMarksTheVersionAndEverythingTrainedOnItButNotCleanData()
    {
        var personal = await LineageScenario.SeedAsync(database.Factory, "personal-chain", personal: true);
        var clean = await LineageScenario.SeedAsync(database.Factory, "clean-chain", personal: false);

        var dirty = await GraphAsync(new LineageRequest(personal.DatasetNode, LineageDirection.Down, 10));
        var tidy = await GraphAsync(new LineageRequest(clean.DatasetNode, LineageDirection.Down, 10));
        // A short walk upwards from the deployment still knows it was trained on personal data.
        var shallow = await GraphAsync(new LineageRequest(personal.DeploymentNode, LineageDirection.Up, 1));

        Assert.All(dirty.Nodes, n => Assert.True(n.PersonalData, n.Label));
        Assert.Equal(6, dirty.Nodes.Count);
        Assert.All(tidy.Nodes, n => Assert.False(n.PersonalData, n.Label));
        Assert.All(shallow.Nodes, n => Assert.True(n.PersonalData, n.Label));
    }

    [Fact]
    public async Task ColumnClassifiedNotPersonalClearsTheSuspicion()
    {
        var chain = await LineageScenario.SeedAsync(database.Factory, "cleared-chain", personal: true);
        await using (var db = await database.Factory.CreateDbContextAsync())
        {
            var version = await db.DatasetVersions.Include(v => v.Columns).FirstAsync(v => v.Id == chain.Data.Id);
            Assert.True(version.Classify("email", Domain.Datasets.DataClassification.NotPersonal, false, "dpo", "DPO", [Domain.Security.Roles.DataProtectionOfficer],
                LineageScenario.Now).Succeeded);
            await db.SaveChangesAsync();
        }

        var graph = await GraphAsync(new LineageRequest(chain.DataNode, LineageDirection.Down, 10));

        Assert.All(graph.Nodes, n => Assert.False(n.PersonalData, n.Label));
    }

    [Fact]
    public async Task ReplacedChampionsDeploymentIsNotLive()
    {
        var first = await LineageScenario.SeedAsync(database.Factory, "retired-chain");
        await using (var db = await database.Factory.CreateDbContextAsync())
        {
            var model = await db.RegisteredModels.Include(m => m.Versions).FirstAsync(m => m.Id == first.Model.Id);
            var retrained = Domain.Runs.Run.SubmitManaged(first.Run.ExperimentId, first.Data.Id, first.Data.Sha256, Domain.Runs.MlTask.Binary, "LightGbm", "churned",
                new Dictionary<string, double>(), 0.2, 2, "scientist", "Scientist", LineageScenario.Now.AddMinutes(9));
            db.Runs.Add(retrained);
            var second = model.RegisterVersion(new Domain.Registry.VersionRegistration(retrained.Id, "scientist", [first.Data.Id], [new("churned", "Boolean")],
                new Dictionary<string, double> { ["accuracy"] = 0.95 }, new string('f', 64)), "scientist", LineageScenario.Now.AddMinutes(10));
            var request = Domain.Registry.PromotionRequest.Create(model, second, Domain.Registry.ModelStage.Production, "Newer.", "scientist", LineageScenario.Now.AddMinutes(11));
            db.PromotionRequests.Add(request);
            await db.SaveChangesAsync();
            await LineageScenario.DeployAsync(database.Factory, model.Id, request, LineageScenario.Now.AddMinutes(12));
        }

        var graph = await GraphAsync(new LineageRequest(first.DataNode, LineageDirection.Down, 10));

        var deployments = graph.Nodes.Where(n => n.Ref.Kind == LineageNodeKind.Deployment).ToDictionary(n => n.Ref);
        Assert.Equal(2, deployments.Count);
        Assert.False(deployments[first.DeploymentNode].Live);
        Assert.EndsWith("(retired)", deployments[first.DeploymentNode].Label, StringComparison.Ordinal);
        Assert.Single(deployments.Values, d => d.Live == true);
    }

    [Fact]
    public async Task NodeLimitTruncatesTheWalk()
    {
        var chain = await LineageScenario.SeedAsync(database.Factory, "truncated-chain");

        var graph = await GraphAsync(new LineageRequest(chain.DataNode, LineageDirection.Down, 10, MaxNodes: 3));

        Assert.True(graph.Truncated);
        Assert.Equal(3, graph.Nodes.Count);
        Assert.All(graph.Edges, e => Assert.Contains(graph.Nodes, n => n.Ref == e.To));
    }

    [Fact]
    public async Task ExternalOpenLineageNodesAreLabelledAndWalked()
    {
        var chain = await LineageScenario.SeedAsync(database.Factory, "external-chain", deploy: false);
        var job = ExternalLineageNode.Create(LineageNodeKind.Job, "airflow", "nightly_export", LineageScenario.Now);
        var table = ExternalLineageNode.Create(LineageNodeKind.ExternalDataset, "postgres://crm", "public.customers", LineageScenario.Now);
        await LineageScenario.SaveAsync(database.Factory, db =>
        {
            db.ExternalLineageNodes.AddRange(job, table);
            LineageRecorder.Record(db, table.Ref, job.Ref, LineageEdgeKind.UsedBy, LineageScenario.Now);
            LineageRecorder.Record(db, job.Ref, chain.DataNode, LineageEdgeKind.Produced, LineageScenario.Now);
        });

        var graph = await GraphAsync(new LineageRequest(chain.DataNode, LineageDirection.Up, 3));

        var labels = graph.Nodes.ToDictionary(n => n.Ref, n => n.Label);
        Assert.Equal("nightly_export (airflow)", labels[job.Ref]);
        Assert.Equal("public.customers (postgres://crm)", labels[table.Ref]);
        Assert.Null(graph.Nodes.Single(n => n.Ref == job.Ref).Url);
        Assert.Contains(graph.Edges, e => e.From == table.Ref && e.To == job.Ref && e.Kind == LineageEdgeKind.UsedBy);
    }

    [Fact]
    public async Task UnknownNodeIsNotFoundAndDepthOutOfRangeIsInvalid()
    {
        var missing = await Query.GetAsync(new LineageRequest(new LineageNodeRef(LineageNodeKind.Run, Guid.NewGuid().ToString()), LineageDirection.Down, 3),
            CancellationToken.None);
        var tooDeep = await Query.GetAsync(new LineageRequest(new LineageNodeRef(LineageNodeKind.Run, Guid.NewGuid().ToString()), LineageDirection.Down, 11),
            CancellationToken.None);

        Assert.Equal(OperationStatus.NotFound, missing.Status);
        Assert.Equal(OperationStatus.Invalid, tooDeep.Status);
        Assert.Contains("1 to 10", tooDeep.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run", "kind")]
    [InlineData("model:123", "not a node kind")]
    [InlineData("run:", "1 to 400")]
    public void MalformedNodesAreRefusedWithTheReason(string node, string reason)
    {
        var parsed = LineageRequest.Parse(node, null, null);

        Assert.Equal(OperationStatus.Invalid, parsed.Status);
        Assert.Contains(reason, parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectionAndDepthAreParsedAndChecked()
    {
        Assert.Equal(LineageDirection.Up, LineageRequest.Parse("run:x", "UP", 4).Value!.Direction);
        Assert.Equal(LineageRequest.DefaultDepth, LineageRequest.Parse("run:x", null, null).Value!.Depth);
        Assert.Equal(OperationStatus.Invalid, LineageRequest.Parse("run:x", "sideways", 3).Status);
        Assert.Equal(OperationStatus.Invalid, LineageRequest.Parse("run:x", "down", 0).Status);
        Assert.Equal(OperationStatus.Invalid, LineageRequest.Parse("run:x", "down", 11).Status);
    }

    private async Task<LineageGraph> GraphAsync(LineageRequest request)
    {
        var result = await Query.GetAsync(request, CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
        return result.Value!;
    }
}
