using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application;
using Portal.Data.Webhooks;
using Portal.Domain.Security;
using Portal.Domain.Webhooks;
using Portal.Web.Features.Webhooks;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Webhooks;

/// <summary>
/// Webhook administration through the API on the real app: the secret is returned once and nowhere else, bad targets
/// are refused with what to fix, deactivation and retry are audited, deliveries show how they went.
/// </summary>
public sealed class WebhooksApiTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task AdministratorCreatesAWebhookWhoseSecretIsShownOnceAndNeverListedOrAudited()
    {
        var admin = await ClientAsync(DemoAccounts.Admin);

        var created = await admin.PostAsJsonAsync("/api/webhooks", new { name = "release bot", url = "https://hooks.example.com/portal?key=receivers-own-key", events = new[] { "promotion.approved", "model.stage.changed" } });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        var secret = body.GetProperty("secret").GetString()!;
        var id = body.GetProperty("webhook").GetProperty("id").GetString()!;
        Assert.StartsWith("whsec_", secret);
        Assert.Equal($"/api/webhooks/{id}", created.Headers.Location!.OriginalString);
        var list = await admin.GetStringAsync("/api/webhooks");
        Assert.Contains(id, list);
        Assert.Contains("model.stage.changed", list);
        Assert.DoesNotContain(secret, list);
        Assert.DoesNotContain("secret", list, StringComparison.OrdinalIgnoreCase);
        var audit = factory.QueryColumn("SELECT DetailsJson FROM AuditEntries WHERE Action = 'webhook.created' AND SubjectId = $id", ("$id", id));
        Assert.Contains("hooks.example.com", Assert.Single(audit));
        Assert.DoesNotContain(secret, audit[0]);
        Assert.DoesNotContain("/portal", audit[0]);
        Assert.DoesNotContain("receivers-own-key", audit[0]);
    }

    [Theory]
    [InlineData("https://user:pw@hooks.example.com/", "credentials")]
    [InlineData("ftp://hooks.example.com/", "http")]
    [InlineData("hooks.example.com/x", "absolute")]
    public async Task BadTargetsAreRefusedWithWhatToFixAndWriteNothing(string url, string said)
    {
        var admin = await ClientAsync(DemoAccounts.Admin);
        var before = factory.QueryColumn("SELECT COUNT(*) FROM WebhookSubscriptions").Single();

        var refused = await admin.PostAsJsonAsync("/api/webhooks", new { name = "bad", url, events = new[] { "*" } });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(said, (await refused.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(before, factory.QueryColumn("SELECT COUNT(*) FROM WebhookSubscriptions").Single());
    }

    [Fact]
    public async Task UnknownEventTypesAreRefusedNamingTheKnownOnes()
    {
        var admin = await ClientAsync(DemoAccounts.Admin);

        var refused = await admin.PostAsJsonAsync("/api/webhooks", new { name = "typo", url = "https://hooks.example.com/", events = new[] { "promotion.aproved" } });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var detail = (await refused.JsonAsync()).GetProperty("detail").GetString();
        Assert.Contains("promotion.aproved", detail);
        Assert.Contains("promotion.approved", detail);
    }

    [Fact]
    public async Task DeactivatingIsAuditedOnceAndStopsNewDeliveries()
    {
        var admin = await ClientAsync(DemoAccounts.Admin);
        var id = await CreateAsync(admin);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/webhooks/{id}")).StatusCode);
        var again = await admin.DeleteAsync($"/api/webhooks/{id}");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already deactivated", (await again.JsonAsync()).GetProperty("detail").GetString());
        Assert.Single(factory.QueryColumn("SELECT Id FROM AuditEntries WHERE Action = 'webhook.deactivated' AND SubjectId = $id", ("$id", id.ToString())));
        await using var db = factory.RemoteDb();
        var before = await db.WebhookDeliveries.CountAsync(d => d.SubscriptionId == id);
        await db.EnqueueWebhooksAsync(WebhookEventTypes.PromotionApproved, new { model = "churn" }, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
        Assert.Equal(before, await db.WebhookDeliveries.CountAsync(d => d.SubscriptionId == id));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/webhooks/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task DeliveriesShowTheirStatusAttemptsAndLastErrorAndAFailedOneCanBeRetriedOnce()
    {
        var admin = await ClientAsync(DemoAccounts.Admin);
        var id = await CreateAsync(admin);
        var deliveryId = await EnqueueAsync(id);
        await using (var db = factory.RemoteDb())
        {
            var delivery = await db.WebhookDeliveries.FirstAsync(d => d.Id == deliveryId);
            for (var attempt = 0; attempt < WebhookRetrySchedule.MaxAttempts; attempt++)
            {
                delivery.AttemptFailed(502, "The receiver answered 502 BadGateway.", DateTimeOffset.UtcNow);
            }

            await db.SaveChangesAsync();
        }

        var page = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/webhooks/deliveries?webhookId={id}&status=Failed");
        var row = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("Failed", row.GetProperty("status").GetString());
        Assert.Equal(6, row.GetProperty("attempts").GetInt32());
        Assert.Equal(502, row.GetProperty("lastStatusCode").GetInt32());
        Assert.Contains("502", row.GetProperty("lastError").GetString());

        var retried = await admin.PostAsync($"/api/webhooks/deliveries/{deliveryId}/retry", null);
        var twice = await admin.PostAsync($"/api/webhooks/deliveries/{deliveryId}/retry", null);

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("Pending", (await retried.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("still pending", (await twice.JsonAsync()).GetProperty("detail").GetString());
        Assert.Single(factory.QueryColumn("SELECT Id FROM AuditEntries WHERE Action = 'webhook.retried' AND SubjectId = $id", ("$id", deliveryId.ToString())));
    }

    [Fact]
    public async Task AnUnknownStatusFilterIsABadRequest()
    {
        var admin = await ClientAsync(DemoAccounts.Admin);

        var refused = await admin.GetAsync("/api/webhooks/deliveries?status=Lost");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Theory]
    [InlineData(Roles.DataScientist)]
    [InlineData(Roles.BusinessManager)]
    [InlineData(Roles.DataProtectionOfficer)]
    public async Task TheServiceItselfRefusesAnyoneButAnAdministrator(string role)
    {
        var service = factory.Services.GetRequiredService<WebhookService>();
        var someone = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "user-x"), new Claim(ClaimTypes.Role, role)], "test"));

        var result = await service.CreateAsync(new CreateWebhookRequest("sneaky", "https://hooks.example.com/", ["*"]), someone, CancellationToken.None);

        Assert.Equal(OperationStatus.Forbidden, result.Status);
    }

    private async Task<HttpClient> ClientAsync(string email) =>
        TokenFactory.ClientWith(factory, (await TokenFactory.CreateAsync(factory.Services, email, ApiScopes.Read, ApiScopes.Write)).Token);

    private static async Task<WebhookSubscriptionId> CreateAsync(HttpClient admin)
    {
        var created = await admin.PostAsJsonAsync("/api/webhooks", new { name = $"hook-{Guid.NewGuid():N}", url = "http://127.0.0.1:9/hook", events = new[] { "*" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return WebhookSubscriptionId.Parse((await created.JsonAsync()).GetProperty("webhook").GetProperty("id").GetString()!);
    }

    private async Task<WebhookDeliveryId> EnqueueAsync(WebhookSubscriptionId id)
    {
        await using var db = factory.RemoteDb();
        await db.EnqueueWebhooksAsync(WebhookEventTypes.PromotionApproved, new { model = "churn" }, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
        return await db.WebhookDeliveries.Where(d => d.SubscriptionId == id).Select(d => d.Id).SingleAsync();
    }
}
