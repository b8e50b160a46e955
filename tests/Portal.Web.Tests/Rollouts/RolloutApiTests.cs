using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Monitoring;
using Portal.Domain.Rollouts;
using Portal.Web.Tests.Infrastructure;
using Portal.Web.Tests.Registry;
using Portal.Web.Tests.Serving;

namespace Portal.Web.Tests.Rollouts;

/// <summary>
/// Staged rollouts through the API: the final approval of a model with a rollout policy and a champion starts a rollout
/// instead of swapping the champion; one rollout at a time; a manager's hands on it; the policy set by managers only.
/// </summary>
public sealed class RolloutApiTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    private readonly RegistryDriver driver = new(factory);
    private readonly ServingDriver serving = new(factory);

    [Fact]
    public async Task ApprovalOfAModelWithAPolicyStartsARolloutAndKeepsTheChampionUntilItCompletes()
    {
        var (model, rolloutId) = await serving.RollingOutAsync();
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
        var (model, _) = await serving.RollingOutAsync(versions: 3);
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
        var (_, rolloutId) = await serving.RollingOutAsync();
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
    public async Task ARollbackAlertIsListedWithoutAWindowLinksToItsRolloutAndIsResolvedLikeAnyAlert()
    {
        var (model, rolloutId) = await serving.RollingOutAsync();
        var alertId = MonitoringAlertId.New(DateTimeOffset.UtcNow);
        await using (var db = await driver.DbAsync())
        {
            var rollout = await db.Rollouts.SingleAsync(r => r.Id == rolloutId);
            db.MonitoringAlerts.Add(MonitoringAlert.RaiseForRollback(alertId, rollout.ModelId, rollout.CanaryVersionId, rollout.CanaryVersionNumber, rollout.Id,
                "Version 2 failed its rollout.", DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }

        var manager = await driver.ManagerAsync();
        var listed = await manager.GetFromJsonAsync<JsonElement>($"/api/alerts?model={model}&rule=RolloutRolledBack");
        var resolved = await manager.PostAsJsonAsync($"/api/alerts/{alertId}/resolve", new { comment = "the canary's feature pipeline is fixed" });

        var item = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal((alertId.ToString(), "RolloutRolledBack", 2), (item.GetProperty("id").GetString(), item.GetProperty("rule").GetString(), item.GetProperty("version").GetInt32()));
        Assert.Equal(JsonValueKind.Null, item.GetProperty("window").ValueKind);
        Assert.Equal(rolloutId.Value, item.GetProperty("rolloutId").GetGuid());
        Assert.Equal($"/rollouts/{rolloutId}", item.GetProperty("dashboardUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal("Resolved", (await resolved.JsonAsync()).GetProperty("status").GetString());
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

    private async Task<List<AuditEntry>> AuditAsync(AuditAction action, RolloutId rolloutId)
    {
        await using var db = await driver.DbAsync();
        var subject = AuditSubject.Rollout(rolloutId);
        return await db.AuditEntries.AsNoTracking().Where(a => a.Action == action.Name && a.SubjectType == subject.Type && a.SubjectId == subject.Id).ToListAsync();
    }
}
