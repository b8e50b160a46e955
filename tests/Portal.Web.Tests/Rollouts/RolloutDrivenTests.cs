using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Rollouts;
using Portal.Data;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Rollouts;
using Portal.Domain.Serving;
using Portal.Web.Tests.Infrastructure;
using Portal.Web.Tests.Serving;
using Portal.Worker.Rollouts;

namespace Portal.Web.Tests.Rollouts;

/// <summary>A rollout driven on the embedded database.</summary>
public sealed class RolloutDrivenTests(PortalAppFactory factory) : RolloutDrivenTestsBase(factory), IClassFixture<PortalAppFactory>;

/// <summary>A rollout driven on a private PostgreSQL server (the scale-out provider): the arms counted in its SQL, the lease, the alert's join.</summary>
public sealed class PostgresRolloutDrivenTests(PostgresAppFactory factory) : RolloutDrivenTestsBase(factory), IClassFixture<PostgresAppFactory>;

/// <summary>
/// A staged rollout from traffic to verdict on the app's own database: predictions through the predict endpoint with routing
/// keys the split sends to each arm, ground truth through the feedback endpoint, the worker's lease and driver judging the step.
/// A canary as good as the champion passes and becomes the champion; a canary that gets every label wrong is rolled back, with
/// its alert on the alert feed pointing at the rollout.
/// </summary>
public abstract class RolloutDrivenTestsBase(PortalAppFactory factory)
{
    private const string WorkerId = "test-driver";
    private const int RowsPerArm = 60;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly object Policy = new { steps = new[] { 50, 100 }, minimumSamplesPerArm = RowsPerArm, minimumStepSeconds = 0, taskMetricMargin = 0.1, errorRateMargin = 0.1 };

    private readonly ServingDriver serving = new(factory);

    [Fact]
    public async Task ACanaryAsGoodAsTheChampionPassesItsStepAndBecomesTheChampion()
    {
        var (model, rollout) = await serving.RollingOutAsync(policy: Policy);
        await TrafficWithGroundTruthAsync(model, rollout, canaryRight: true);

        var judgement = await DriveAsync(rollout);

        Assert.True(judgement.Move == RolloutMove.Completed, $"{judgement.Move}: {judgement.Summary}");
        var manager = await serving.Registry.ManagerAsync();
        var shape = await manager.GetFromJsonAsync<JsonElement>($"/api/models/{model}");
        Assert.Equal(2, shape.GetProperty("champion").GetProperty("version").GetInt32());
        var alerts = await manager.GetFromJsonAsync<JsonElement>($"/api/alerts?model={model}");
        Assert.Equal(0, alerts.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ACanaryThatGetsTheLabelsWrongIsRolledBackWithItsAlertOnTheFeed()
    {
        var (model, rollout) = await serving.RollingOutAsync(policy: Policy);
        await TrafficWithGroundTruthAsync(model, rollout, canaryRight: false);

        var judgement = await DriveAsync(rollout);

        Assert.True(judgement.Move == RolloutMove.RolledBack, $"{judgement.Move}: {judgement.Summary}");
        var manager = await serving.Registry.ManagerAsync();
        var details = await manager.GetFromJsonAsync<JsonElement>($"/api/rollouts/{rollout}");
        Assert.Equal("RolledBack", details.GetProperty("rollout").GetProperty("state").GetString());
        var shape = await manager.GetFromJsonAsync<JsonElement>($"/api/models/{model}");
        Assert.Equal(1, shape.GetProperty("champion").GetProperty("version").GetInt32());
        var alerts = await manager.GetFromJsonAsync<JsonElement>($"/api/alerts?model={model}&status=open");
        var alert = Assert.Single(alerts.GetProperty("items").EnumerateArray());
        Assert.Equal(("RolloutRolledBack", "Critical", 2), (alert.GetProperty("rule").GetString(), alert.GetProperty("severity").GetString(), alert.GetProperty("version").GetInt32()));
        Assert.Contains("accuracy is worse", alert.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, alert.GetProperty("window").ValueKind);
        Assert.Equal($"/rollouts/{rollout}", alert.GetProperty("dashboardUrl").GetString());
    }

    /// <summary>
    /// <see cref="RowsPerArm"/> labelled rows on each arm, sent with routing keys the split sends there once both nodes' route
    /// caches know the rollout; the champion's labels are its own answers, the canary's its own or their opposite.
    /// </summary>
    private async Task TrafficWithGroundTruthAsync(string model, RolloutId rollout, bool canaryRight)
    {
        var client = await serving.PredictClientAsync(factory);
        var keys = Enumerable.Range(0, 200).Select(i => $"customer-{i}").ToList();
        var canaryKey = keys.First(k => TrafficSplit.Choose(rollout, k, 50) == ServingArm.Canary);
        var championKey = keys.First(k => TrafficSplit.Choose(rollout, k, 50) == ServingArm.Champion);
        var rows = Enumerable.Range(0, RowsPerArm).Select(i => ServingDriver.Row(income: i % 10, debt: i % 7, age: i % 5)).ToArray();

        async Task<JsonElement> PredictAsync(string key) =>
            (await ServingDriver.OkJsonAsync(await ServingDriver.PredictAsync(client, model, rows, key))).GetProperty("predictions");

        // The route cache picks the rollout up within its refresh interval: until then the canary's key is served by the champion.
        JsonElement canary = default;
        await Eventually.TrueAsync(async () => (canary = await PredictAsync(canaryKey))[0].GetProperty("modelVersion").GetInt32() == 2,
            "the canary's routing key to reach version 2");
        var champion = await PredictAsync(championKey);
        Assert.All(champion.EnumerateArray(), p => Assert.Equal(1, p.GetProperty("modelVersion").GetInt32()));
        await serving.LoggedAsync(PredictionId.Parse(champion[0].GetProperty("predictionId").GetString()!).Batch);

        static string Opposite(string label) => label == "true" ? "false" : "true";
        var items = champion.EnumerateArray().Select(p => new { predictionId = p.GetProperty("predictionId").GetString(), actualLabel = p.GetProperty("predictedLabel").GetString()! })
            .Concat(canary.EnumerateArray().Select(p => new
            {
                predictionId = p.GetProperty("predictionId").GetString(),
                actualLabel = canaryRight ? p.GetProperty("predictedLabel").GetString()! : Opposite(p.GetProperty("predictedLabel").GetString()!),
            }))
            .ToArray();
        var feedback = await ServingDriver.OkJsonAsync(await client.PostAsJsonAsync("/api/feedback", new { items }));
        Assert.All(feedback.GetProperty("items").EnumerateArray(), r => Assert.Equal("recorded", r.GetProperty("result").GetString()));
    }

    /// <summary>What the worker does to a running rollout: claims its lease, then judges its step.</summary>
    private async Task<RolloutJudgement> DriveAsync(RolloutId rollout)
    {
        var dbFactory = factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        Assert.Contains(rollout, await new RolloutLeases(dbFactory, TimeProvider.System).ClaimAsync(WorkerId, Lease, 100, default));
        var result = await ActivatorUtilities.CreateInstance<RolloutDriver>(factory.Services).DriveAsync(rollout, WorkerId, Lease, default);
        Assert.True(result.Succeeded, result.Error);
        return result.Value!;
    }
}
