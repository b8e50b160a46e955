using System.Net;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Serving;

/// <summary>The same binary started with <c>Hosting:Role=Serving</c> beside the portal, on the same database.</summary>
public sealed class ServingNodeTests : IAsyncLifetime
{
    private readonly ServingAppFactory portal = new();
    private ServingAppFactory node = null!;

    public Task InitializeAsync()
    {
        _ = portal.Services;
        node = new ServingAppFactory(portal.DataDirectory, role: "Serving");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await node.DisposeAsync();
        await portal.DisposeAsync();
    }

    [Fact]
    public async Task ServingNodeAnswersPredictionsWithATokenAndServesNoPagesOrSignIn()
    {
        var driver = new ServingDriver(portal);
        var model = await driver.ModelWithChampionAsync();
        var client = await driver.PredictClientAsync(node);

        var predicted = await ServingDriver.OkJsonAsync(await ServingDriver.PredictAsync(client, model, [ServingDriver.Row()]));
        var health = await client.GetAsync("/healthz");
        var signIn = await BrowserSession.NewClient(node).GetAsync("/Account/Login");
        var registry = await client.GetAsync("/api/models");
        var anonymous = await ServingDriver.PredictAsync(BrowserSession.NewClient(node), model, [ServingDriver.Row()]);

        Assert.Equal(1, predicted.GetProperty("predictions")[0].GetProperty("modelVersion").GetInt32());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains(signIn.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.Unauthorized });
        Assert.Equal(HttpStatusCode.NotFound, registry.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
