using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Lineage;
using Portal.Data;
using Portal.Domain.Lineage;
using Portal.Domain.Security;
using Portal.Web.Features.Lineage;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Components.Lineage;

public sealed class LineagePageTests : ComponentTestContext
{
    private static readonly LineageNodeRef Data = new(LineageNodeKind.DatasetVersion, "0193a000-0000-7000-8000-000000000001");
    private static readonly LineageNodeRef Run = new(LineageNodeKind.Run, "0193a000-0000-7000-8000-000000000002");
    private static readonly LineageNodeRef Deployment = new(LineageNodeKind.Deployment, "0193a000-0000-7000-8000-000000000003");

    public LineagePageTests()
    {
        SignIn("dpo@portal.local", Roles.DataProtectionOfficer);
        // The page's query is never reached by these tests: no node, or one that does not parse.
        Services.AddSingleton(new LineageQuery(new UnusedDatabase()));
    }

    [Fact]
    public void WithoutANodeThePageSaysHowToStart()
    {
        var cut = RenderPage<LineagePage>();

        Assert.Contains("Choose a node to start from", cut.Find("[data-testid=lineage-empty]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=lineage-canvas]"));
    }

    [Fact]
    public void MalformedNodeInTheLinkIsExplainedNotQueried()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("lineage?node=model:42&depth=3");

        var cut = RenderPage<LineagePage>();

        Assert.Contains("'model' is not a node kind", cut.Find("[data-testid=lineage-problem]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=lineage-empty]"));
    }

    [Fact]
    public void TableViewListsEveryNodeWithItsFlagsAndEveryEdge()
    {
        var graph = new LineageGraph(Data,
        [
            new(Data, "customers v3", true, null, "/datasets/x?version=3", 0),
            new(Run, "FastTree in churn (0193a000, Succeeded)", true, null, "/runs/x", 1),
            new(Deployment, "churn v2 in production (live)", true, true, "/models/churn", 4),
        ],
        [new(Data, Run, LineageEdgeKind.UsedBy)], false);

        var cut = Render<LineageTable>(p => p.Add(t => t.Graph, graph));

        var rows = cut.FindAll("[data-testid=lineage-nodes-table] tbody tr");
        Assert.Equal(3, rows.Count);
        Assert.Contains("customers v3", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Personal data", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Live", rows[2].TextContent, StringComparison.Ordinal);
        var edge = Assert.Single(cut.FindAll("[data-testid=lineage-edges-table] tbody tr"));
        Assert.Contains("used-by", edge.TextContent, StringComparison.Ordinal);
        Assert.Contains("FastTree in churn", edge.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SearchNarrowsTheNodes()
    {
        var graph = new LineageGraph(Data, [new(Data, "customers v3", false, null, null, 0), new(Run, "FastTree in churn", false, null, null, 1)], [], false);
        var cut = Render<LineageTable>(p => p.Add(t => t.Graph, graph));

        cut.Find("input[data-testid=lineage-search]").Input("fasttree");

        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(cut.FindAll("[data-testid=lineage-nodes-table] tbody tr"));
            Assert.Contains("FastTree in churn", row.TextContent, StringComparison.Ordinal);
        });
    }

    private sealed class UnusedDatabase : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => throw new InvalidOperationException("The page must not query for this test.");
    }
}
