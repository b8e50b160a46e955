using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Monitoring;
using Portal.Web.Tests.Infrastructure;
using Portal.Web.Tests.Registry;

namespace Portal.Web.Tests.Monitoring;

/// <summary>
/// A model's monitoring thresholds and retraining policy through the API: set with its audit entry, refused in the domain's words
/// when invalid, refused to a role without ManageMonitoring, reset and cleared with DELETE.
/// </summary>
public sealed class MonitoringPoliciesApiTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    private readonly RegistryDriver driver = new(factory);

    [Fact]
    public async Task ManagerSetsAndResetsTheMonitoringThresholdsWithAnAuditEntryEach()
    {
        var model = await RegistryDriver.ModelWithVersionsAsync(await driver.ScientistAsync(), 1, "monitored");
        var manager = await driver.ManagerAsync();

        var set = await manager.PutAsJsonAsync($"/api/models/{model}/monitoring-policy", new { windowMinutes = 2, psiThreshold = 0.25, cooldownMinutes = 10 });
        var stored = await PoliciesAsync(model);
        var reset = await manager.DeleteAsync($"/api/models/{model}/monitoring-policy");

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var policy = (await set.JsonAsync()).GetProperty("policy");
        Assert.Equal((2, 0.25, 10, 1000), (policy.GetProperty("windowMinutes").GetInt32(), policy.GetProperty("psiThreshold").GetDouble(),
            policy.GetProperty("cooldownMinutes").GetInt32(), policy.GetProperty("windowRows").GetInt32()));
        Assert.Equal(MonitoringPolicy.Default with { WindowMinutes = 2, PsiThreshold = 0.25, CooldownMinutes = 10 }, stored.Monitoring);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.True((await reset.JsonAsync()).GetProperty("isDefault").GetBoolean());
        Assert.Null((await PoliciesAsync(model)).Monitoring);
        Assert.Equal(2, (await AuditAsync(AuditActions.MonitoringPolicySet, model)).Count);
    }

    [Fact]
    public async Task ScientistSetsAndClearsARetrainingPolicy()
    {
        var scientist = await driver.ScientistAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, 1, "retrained");

        var set = await scientist.PutAsJsonAsync($"/api/models/{model}/retraining-policy", new { onDrift = true, onAccuracyDrop = false, minimumRows = 800, minimumHoursBetween = 2 });
        var stored = await PoliciesAsync(model);
        var cleared = await scientist.DeleteAsync($"/api/models/{model}/retraining-policy");

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(new RetrainingPolicy(true, false, null, 800, 2), stored.Retraining);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await cleared.JsonAsync()).GetProperty("policy").ValueKind);
        Assert.Null((await PoliciesAsync(model)).Retraining);
        Assert.Equal(2, (await AuditAsync(AuditActions.RetrainingPolicySet, model)).Count);
    }

    [Fact]
    public async Task InvalidPoliciesAreRefusedSayingWhatToFixAndChangeNothing()
    {
        var manager = await driver.ManagerAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(await driver.ScientistAsync(), 1, "refused");

        var noTrigger = await manager.PutAsJsonAsync($"/api/models/{model}/retraining-policy", new { onDrift = false, onAccuracyDrop = false });
        var tooFewRows = await manager.PutAsJsonAsync($"/api/models/{model}/retraining-policy", new { minimumRows = 10 });
        var badPsi = await manager.PutAsJsonAsync($"/api/models/{model}/monitoring-policy", new { psiThreshold = -1 });
        var unknown = await manager.PutAsJsonAsync("/api/models/no-such-model/monitoring-policy", new { });

        Assert.Equal(HttpStatusCode.BadRequest, noTrigger.StatusCode);
        Assert.Contains("at least one trigger", (await noTrigger.JsonAsync()).GetProperty("detail").GetString());
        Assert.Contains("50 to 10,000,000 labelled rows", (await tooFewRows.JsonAsync()).GetProperty("detail").GetString());
        Assert.Contains("PSI threshold", (await badPsi.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal((null, null), await PoliciesAsync(model));
        Assert.Empty(await AuditAsync(AuditActions.RetrainingPolicySet, model));
    }

    [Fact]
    public async Task TheDataProtectionOfficerMayNotSetPolicies()
    {
        var model = await RegistryDriver.ModelWithVersionsAsync(await driver.ScientistAsync(), 1, "dpo");
        var dpo = await driver.DpoAsync();

        var refused = await dpo.PutAsJsonAsync($"/api/models/{model}/retraining-policy", new { onDrift = true });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Null((await PoliciesAsync(model)).Retraining);
    }

    private async Task<(MonitoringPolicy? Monitoring, RetrainingPolicy? Retraining)> PoliciesAsync(string model)
    {
        await using var db = await driver.DbAsync();
        var found = await db.RegisteredModels.AsNoTracking().Where(m => m.Name == model).Select(m => new { m.MonitoringPolicy, m.RetrainingPolicy }).FirstAsync();
        return (found.MonitoringPolicy, found.RetrainingPolicy);
    }

    private async Task<List<AuditEntry>> AuditAsync(AuditAction action, string model)
    {
        await using var db = await driver.DbAsync();
        var id = await db.RegisteredModels.Where(m => m.Name == model).Select(m => m.Id).FirstAsync();
        var subject = AuditSubject.RegisteredModel(id);
        return await db.AuditEntries.AsNoTracking().Where(a => a.Action == action.Name && a.SubjectType == subject.Type && a.SubjectId == subject.Id).ToListAsync();
    }
}
