using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Rollouts;
using Portal.Web.Tests.Infrastructure;
using Portal.Web.Tests.Registry;

namespace Portal.Web.Tests.Rollouts;

/// <summary>
/// Staged rollouts through the API: the final approval of a model with a rollout policy and a champion starts a rollout
/// instead of swapping the champion; one rollout at a time; a manager's hands on it; the policy set by managers only.
/// </summary>
public sealed class RolloutApiTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    private readonly RegistryDriver driver = new(factory);

    [Fact]
    public async Task ApprovalOfAModelWithAPolicyStartsARolloutAndKeepsTheChampionUntilItCompletes()
    {
        var (model, rolloutId, _) = await RollingOutAsync();
        var manager = await driver.ManagerAsync();

        var details = await manager.GetFromJsonAsync<JsonElement>($"/api/rollouts/{rolloutId}");
        var listed = await manager.GetFromJsonAsync<JsonElement>($"/api/rollouts?model={model}&state=running");
        var modelShape = await manager.GetFromJsonAsync<JsonElement>($"/api/models/{model}");

        var rollout = details.GetProperty("rollout");
        Assert.Equal(("Running", 1, 3, 10, 1, 2), (rollout.GetProperty("state").GetString(), rollout.GetProperty("step").GetInt32(), rollout.GetProperty("steps").GetInt32(),
            rollout.GetProperty("canaryPercent").GetInt32(), rollout.GetProperty("baselineVersion").GetInt32(), rollout.GetProperty("canaryVersion").GetInt32()));
        Assert.Equal("Pending", details.GetProperty("current").GetProperty("outcome").GetString());
        Assert.Contains("Waiting for ground truth", details.GetProperty("current").GetProperty("summary").GetString());
        Assert.Equal(1, listed.GetProperty("total").GetInt32());
        Assert.Equal(1, modelShape.GetProperty("champion").GetProperty("version").GetInt32());
        Assert.Single(await AuditAsync(AuditActions.RolloutStarted, rolloutId));
    }

    [Fact]
    public async Task ASecondApprovalToProductionIsRefusedWhileARolloutRuns()
    {
        var (model, _, _) = await RollingOutAsync(versions: 3);
        var scientist = await driver.ScientistAsync();
        var third = await RegistryDriver.RequestAsync(scientist, model, 3);
        var hash = await driver.EvaluateAsync(third);

        var refused = await RegistryDriver.ApproveAsync(await driver.ManagerAsync(), third, hash);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("one rollout at a time", (await refused.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ManagerPausesResumesAndRollsBackWithReasonsOnRecord()
    {
        var (_, rolloutId, _) = await RollingOutAsync();
        var manager = await driver.ManagerAsync();
        var scientist = await driver.ScientistAsync();

        var byScientist = await scientist.PostAsJsonAsync($"/api/rollouts/{rolloutId}/pause", new { reason = "mine" });
        var withoutReason = await manager.PostAsJsonAsync($"/api/rollouts/{rolloutId}/pause", new { reason = " " });
        var paused = await manager.PostAsJsonAsync($"/api/rollouts/{rolloutId}/pause", new { reason = "a customer complained" });
        var resumed = await manager.PostAsJsonAsync($"/api/rollouts/{rolloutId}/resume", new { });
        var rolledBack = await manager.PostAsJsonAsync($"/api/rollouts/{rolloutId}/rollback", new { reason = "latency doubled" });
        var again = await manager.PostAsJsonAsync($"/api/rollouts/{rolloutId}/abort", new { reason = "too late" });

        Assert.Equal(HttpStatusCode.Forbidden, byScientist.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withoutReason.StatusCode);
        Assert.Equal("Paused", (await paused.JsonAsync()).GetProperty("rollout").GetProperty("state").GetString());
        Assert.Equal("Running", (await resumed.JsonAsync()).GetProperty("rollout").GetProperty("state").GetString());
        var ended = (await rolledBack.JsonAsync()).GetProperty("rollout");
        Assert.Equal(("RolledBack", 0), (ended.GetProperty("state").GetString(), ended.GetProperty("canaryPercent").GetInt32()));
        Assert.Contains("latency doubled", ended.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Single(await AuditAsync(AuditActions.RolloutPaused, rolloutId));
        Assert.Single(await AuditAsync(AuditActions.RolloutResumed, rolloutId));
        Assert.Single(await AuditAsync(AuditActions.RolloutRolledBack, rolloutId));
        Assert.Empty(await AuditAsync(AuditActions.RolloutAborted, rolloutId));
    }

    [Fact]
    public async Task OnlyManagersSetARolloutPolicyAndABadOneIsRefusedSayingWhy()
    {
        var scientist = await driver.ScientistAsync();
        var manager = await driver.ManagerAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, 1);

        var byScientist = await scientist.PutAsJsonAsync($"/api/models/{model}/rollout-policy", new { steps = new[] { 10, 100 } });
        var bad = await manager.PutAsJsonAsync($"/api/models/{model}/rollout-policy", new { steps = new[] { 50, 10, 100 } });
        var set = await manager.PutAsJsonAsync($"/api/models/{model}/rollout-policy", new { steps = new[] { 20, 100 }, minimumStepSeconds = 10 });
        var cleared = await manager.PutAsJsonAsync($"/api/models/{model}/rollout-policy", new { clear = true });

        Assert.Equal(HttpStatusCode.Forbidden, byScientist.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Steps must increase", (await bad.JsonAsync()).GetProperty("detail").GetString());
        var policy = (await set.JsonAsync()).GetProperty("policy");
        Assert.Equal([20, 100], policy.GetProperty("steps").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal(10, policy.GetProperty("minimumStepSeconds").GetDouble());
        Assert.Equal(JsonValueKind.Null, (await cleared.JsonAsync()).GetProperty("policy").ValueKind);
    }

    /// <summary>A model whose version 1 is champion, with a policy, and version 2 approved: rolling out. Returns the model, the rollout and the request.</summary>
    private async Task<(string Model, Guid RolloutId, Guid RequestId)> RollingOutAsync(int versions = 2)
    {
        var scientist = await driver.ScientistAsync();
        var manager = await driver.ManagerAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, versions, "rollout");
        var first = await RegistryDriver.RequestAsync(scientist, model, 1);
        Assert.Equal(HttpStatusCode.OK, (await RegistryDriver.ApproveAsync(manager, first, await driver.EvaluateAsync(first))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.PutAsJsonAsync($"/api/models/{model}/rollout-policy", new { steps = new[] { 10, 50, 100 } })).StatusCode);
        var second = await RegistryDriver.RequestAsync(scientist, model, 2);
        var approved = await RegistryDriver.ApproveAsync(manager, second, await driver.EvaluateAsync(second));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(1, (await approved.JsonAsync()).GetProperty("championVersion").GetInt32());
        var listed = await manager.GetFromJsonAsync<JsonElement>($"/api/rollouts?model={model}");
        return (model, listed.GetProperty("items")[0].GetProperty("id").GetGuid(), second);
    }

    private async Task<List<AuditEntry>> AuditAsync(AuditAction action, Guid rolloutId)
    {
        await using var db = await driver.DbAsync();
        var subject = AuditSubject.Rollout(new RolloutId(rolloutId));
        return await db.AuditEntries.AsNoTracking().Where(a => a.Action == action.Name && a.SubjectType == subject.Type && a.SubjectId == subject.Id).ToListAsync();
    }
}
