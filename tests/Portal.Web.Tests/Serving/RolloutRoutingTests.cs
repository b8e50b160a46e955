using Portal.Domain.Serving;

namespace Portal.Web.Tests.Serving;

/// <summary>Two web nodes (two hosts of the app on one database file) during a staged rollout.</summary>
public sealed class RolloutRoutingTests : IAsyncLifetime
{
    private readonly ServingAppFactory first = new();
    private ServingAppFactory second = null!;

    public Task InitializeAsync()
    {
        _ = first.Services;
        second = new ServingAppFactory(first.DataDirectory);
        _ = second.Services;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await second.DisposeAsync();
        await first.DisposeAsync();
    }

    [Fact]
    public async Task TwoNodesSendEachRoutingKeyToTheSameArmAndTheSameKeyAlwaysToOneArm()
    {
        var driver = new ServingDriver(first);
        var model = await driver.ModelWithChampionAsync(versions: 2);
        var rollout = driver.InsertRollout(model, baseline: 1, canary: 2, percent: 30);
        var onFirst = await driver.PredictClientAsync(first);
        var onSecond = await driver.PredictClientAsync(second);
        var keys = Enumerable.Range(0, 120).Select(i => $"customer-{i}").ToList();

        async Task<int> VersionAsync(HttpClient client, string key) =>
            (await ServingDriver.OkJsonAsync(await ServingDriver.PredictAsync(client, model, [ServingDriver.Row()], key)))
            .GetProperty("predictions")[0].GetProperty("modelVersion").GetInt32();

        // Wait until both nodes' route caches have picked up the rollout: a key the split sends to the canary gets v2 on each.
        var canaryKey = keys.First(k => TrafficSplit.Choose(rollout, k, 30) == ServingArm.Canary);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await VersionAsync(onFirst, canaryKey) != 2 || await VersionAsync(onSecond, canaryKey) != 2) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var firstNode = new List<int>();
        var secondNode = new List<int>();
        var again = new List<int>();
        foreach (var key in keys)
        {
            firstNode.Add(await VersionAsync(onFirst, key));
            secondNode.Add(await VersionAsync(onSecond, key));
            again.Add(await VersionAsync(onFirst, key));
        }

        Assert.Equal(firstNode, secondNode);
        Assert.Equal(firstNode, again);
        var expected = keys.Select(k => TrafficSplit.Choose(rollout, k, 30) == ServingArm.Canary ? 2 : 1).ToList();
        Assert.Equal(expected, firstNode);
        Assert.InRange(firstNode.Count(v => v == 2), 20, 60);
    }
}
