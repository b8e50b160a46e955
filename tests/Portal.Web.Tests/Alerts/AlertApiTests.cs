using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Monitoring;
using Portal.Domain.Webhooks;
using Portal.Web.Tests.Infrastructure;
using Portal.Web.Tests.Registry;

namespace Portal.Web.Tests.Alerts;

/// <summary>
/// Alerts through the API: listed newest first with filters and paging, each linked to the window and feature that raised it;
/// acknowledged with a required comment and resolved by the three roles that may, refused to the DPO; each change audited, sent to
/// the webhooks and published live in one commit; wrong states are conflicts.
/// </summary>
public sealed class AlertApiTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private readonly RegistryDriver driver = new(factory);

    [Fact]
    public async Task TheListIsNewestFirstFilteredByStatusAndModelPagedAndLinksEachAlertToItsWindowAndFeature()
    {
        var seed = await new AlertSeed(factory).WithModelAsync(driver);
        var other = await new AlertSeed(factory).WithModelAsync(driver);
        var oldest = await seed.RaiseAsync(T0, feature: "age");
        var middle = await seed.RaiseAsync(T0.AddHours(1), AlertRule.AccuracyDrop, feature: "", severity: AlertSeverity.Warning);
        var newest = await seed.RaiseAsync(T0.AddHours(2), feature: "income");
        await other.RaiseAsync(T0.AddHours(3));
        var dpo = await driver.DpoAsync();
        var manager = await driver.ManagerAsync();
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync($"/api/alerts/{middle.Id}/acknowledge", new { comment = "looking at the labels" })).StatusCode);

        var all = await dpo.GetFromJsonAsync<JsonElement>($"/api/alerts?model={seed.Model}");
        var acknowledged = await dpo.GetFromJsonAsync<JsonElement>($"/api/alerts?model={seed.Model}&status=acknowledged");
        var open = await dpo.GetFromJsonAsync<JsonElement>($"/api/alerts?model={seed.Model}&status=Open");
        var active = await dpo.GetFromJsonAsync<JsonElement>($"/api/alerts?model={seed.Model}&status=active");
        var secondPage = await dpo.GetFromJsonAsync<JsonElement>($"/api/alerts?model={seed.Model}&page=1&pageSize=2");
        var critical = await dpo.GetFromJsonAsync<JsonElement>($"/api/alerts?model={seed.Model}&severity=critical&rule=drift");
        var bad = await dpo.GetAsync("/api/alerts?status=closed");

        Assert.Equal([newest.Id.ToString(), middle.Id.ToString(), oldest.Id.ToString()], Ids(all));
        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal([middle.Id.ToString()], Ids(acknowledged));
        Assert.Equal([newest.Id.ToString(), oldest.Id.ToString()], Ids(open));
        Assert.Equal(3, active.GetProperty("total").GetInt32());
        Assert.Equal([oldest.Id.ToString()], Ids(secondPage));
        Assert.Equal(3, secondPage.GetProperty("total").GetInt32());
        Assert.Equal([newest.Id.ToString(), oldest.Id.ToString()], Ids(critical));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("open, acknowledged, resolved", (await bad.JsonAsync()).GetProperty("detail").GetString());
        var first = all.GetProperty("items")[0];
        Assert.Equal("income", first.GetProperty("feature").GetString());
        Assert.Equal(newest.WindowId.ToString(), first.GetProperty("window").GetProperty("id").GetString());
        Assert.Equal(T0.AddHours(2).UtcDateTime, first.GetProperty("window").GetProperty("endUtc").GetDateTime());
        Assert.Equal($"/models/{seed.Model}/monitoring?window={newest.WindowId}&feature=income", first.GetProperty("dashboardUrl").GetString());
        Assert.Equal($"/models/{seed.Model}/monitoring?window={middle.WindowId}", all.GetProperty("items")[1].GetProperty("dashboardUrl").GetString());
    }

    [Fact]
    public async Task AcknowledgingRequiresACommentAndCommitsTheAuditEntryWebhookAndLiveEventTogether()
    {
        var seed = await new AlertSeed(factory).WithModelAsync(driver);
        var alert = await seed.RaiseAsync(T0);
        var admin = await driver.AdminAsync();
        var hook = await admin.PostAsJsonAsync("/api/webhooks", new { name = $"alerts-{Guid.NewGuid():N}"[..20], url = "http://127.0.0.1:9/alerts", events = new[] { "alert.acknowledged" } });
        Assert.Equal(HttpStatusCode.Created, hook.StatusCode);
        var scientist = await driver.ScientistAsync();

        var withoutComment = await scientist.PostAsJsonAsync($"/api/alerts/{alert.Id}/acknowledge", new { comment = "  " });
        var unchanged = await scientist.GetFromJsonAsync<JsonElement>($"/api/alerts/{alert.Id}");
        var acknowledged = await scientist.PostAsJsonAsync($"/api/alerts/{alert.Id}/acknowledge", new { comment = "retraining on last week's data" });

        Assert.Equal(HttpStatusCode.BadRequest, withoutComment.StatusCode);
        Assert.Contains("comment is required", (await withoutComment.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal("Open", unchanged.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        var body = await acknowledged.JsonAsync();
        Assert.Equal("Acknowledged", body.GetProperty("status").GetString());
        Assert.Equal(("scientist@portal.local", "retraining on last week's data"),
            (body.GetProperty("acknowledged").GetProperty("by").GetString(), body.GetProperty("acknowledged").GetProperty("comment").GetString()));
        await using var db = factory.RemoteDb();
        var audit = await db.AuditEntries.AsNoTracking()
            .Where(a => a.SubjectType == AuditSubjectKinds.MonitoringAlert.Name && a.SubjectId == alert.Id.ToString()).ToListAsync();
        var entry = Assert.Single(audit);
        Assert.Equal(AuditActions.AlertAcknowledged.Name, entry.Action);
        Assert.Contains("retraining on last week", entry.DetailsJson);
        var delivery = Assert.Single(await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.EventType == WebhookEventTypes.AlertAcknowledged && d.Payload.Contains(alert.Id.ToString())).ToListAsync());
        Assert.Contains("retraining on last week", delivery.Payload);
        Assert.Contains($"\"dashboardPath\":\"/models/{seed.Model}/monitoring", delivery.Payload);
        var events = await db.LiveEvents.AsNoTracking().Where(e => e.Type == "alert.changed" && e.Payload.Contains(alert.Id.ToString()) && e.Payload.Contains("Acknowledged"))
            .Select(e => e.Topic).ToListAsync();
        Assert.Equal(["alerts", $"monitoring:{seed.ModelId}"], events.Order());
    }

    [Fact]
    public async Task ScientistsManagersAndAdministratorsHandleAlertsAndTheDpoOnlyReadsThem()
    {
        var seed = await new AlertSeed(factory).WithModelAsync(driver);
        var byScientist = await seed.RaiseAsync(T0);
        var byManager = await seed.RaiseAsync(T0.AddMinutes(1));
        var byAdmin = await seed.RaiseAsync(T0.AddMinutes(2));
        var dpo = await driver.DpoAsync();

        var dpoAck = await dpo.PostAsJsonAsync($"/api/alerts/{byScientist.Id}/acknowledge", new { comment = "mine" });
        var dpoResolve = await dpo.PostAsJsonAsync($"/api/alerts/{byScientist.Id}/resolve", new { });
        var dpoRead = await dpo.GetAsync($"/api/alerts/{byScientist.Id}");
        var scientist = await (await driver.ScientistAsync()).PostAsJsonAsync($"/api/alerts/{byScientist.Id}/acknowledge", new { comment = "on it" });
        var manager = await (await driver.ManagerAsync()).PostAsJsonAsync($"/api/alerts/{byManager.Id}/resolve", new { comment = "false alarm: a campaign" });
        var admin = await (await driver.AdminAsync()).PostAsJsonAsync($"/api/alerts/{byAdmin.Id}/resolve", new { });

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK), (dpoAck.StatusCode, dpoResolve.StatusCode, dpoRead.StatusCode));
        Assert.Equal("Acknowledged", (await scientist.JsonAsync()).GetProperty("status").GetString());
        var resolved = await manager.JsonAsync();
        Assert.Equal(("Resolved", "manager@portal.local", "false alarm: a campaign"), (resolved.GetProperty("status").GetString(),
            resolved.GetProperty("resolved").GetProperty("by").GetString(), resolved.GetProperty("resolved").GetProperty("comment").GetString()));
        Assert.Equal(JsonValueKind.Null, (await admin.JsonAsync()).GetProperty("resolved").GetProperty("comment").ValueKind);
    }

    [Fact]
    public async Task AResolvedAlertCannotBeAcknowledgedOrResolvedAgainAndAnUnknownOneIsNotFound()
    {
        var seed = await new AlertSeed(factory).WithModelAsync(driver);
        var alert = await seed.RaiseAsync(T0);
        var manager = await driver.ManagerAsync();
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsJsonAsync($"/api/alerts/{alert.Id}/resolve", new { comment = "fixed upstream" })).StatusCode);

        var acknowledge = await manager.PostAsJsonAsync($"/api/alerts/{alert.Id}/acknowledge", new { comment = "too late" });
        var resolveAgain = await manager.PostAsJsonAsync($"/api/alerts/{alert.Id}/resolve", new { });
        var unknown = await manager.PostAsJsonAsync($"/api/alerts/{Guid.NewGuid()}/acknowledge", new { comment = "who?" });
        var unknownRead = await manager.GetAsync($"/api/alerts/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.Conflict, acknowledge.StatusCode);
        Assert.Contains("already resolved", (await acknowledge.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Conflict, resolveAgain.StatusCode);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (unknown.StatusCode, unknownRead.StatusCode));
        await using var db = factory.RemoteDb();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.SubjectId == alert.Id.ToString()));
    }

    [Fact]
    public async Task TheAlertEndpointsAreInTheOpenApiDocument()
    {
        var manager = await driver.ManagerAsync();

        var document = await manager.GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"/api/alerts\"", document);
        Assert.Contains("\"/api/alerts/{id}\"", document);
        Assert.Contains("\"/api/alerts/{id}/acknowledge\"", document);
        Assert.Contains("\"/api/alerts/{id}/resolve\"", document);
    }

    private static string[] Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
}
