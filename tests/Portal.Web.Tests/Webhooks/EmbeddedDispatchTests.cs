using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;
using Portal.Data.Tests.Infrastructure;
using Portal.Data.Webhooks;
using Portal.Domain.Security;
using Portal.Domain.Webhooks;
using Portal.Web.Tests.Infrastructure;
using Portal.Worker.Tests.Webhooks;

namespace Portal.Web.Tests.Webhooks;

/// <summary>The embedded default: the web process's own worker posts webhook deliveries, and refuses to start with bad webhook options.</summary>
public sealed class EmbeddedDispatchTests(TrainingAppFactory factory) : IClassFixture<TrainingAppFactory>
{
    [Fact]
    public async Task TheEmbeddedWorkerDeliversASignedEventAndTheDeliveriesListShowsIt()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var admin = TokenFactory.ClientWith(factory, (await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Admin, ApiScopes.Read, ApiScopes.Write)).Token);
        var created = await admin.PostAsJsonAsync("/api/webhooks", new { name = "embedded", url = receiver.Url, events = new[] { "promotion.approved" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        var secret = body.GetProperty("secret").GetString()!;
        var webhookId = body.GetProperty("webhook").GetProperty("id").GetString();

        await using (var db = factory.RemoteDb())
        {
            await db.EnqueueWebhooksAsync(WebhookEventTypes.PromotionApproved, new { model = "churn", version = 2 }, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        await Eventually.TrueAsync(() => !receiver.Requests.IsEmpty, "the embedded worker to post the delivery");
        var request = Assert.Single(receiver.Requests);
        var verification = WebhookSignature.Verify(secret, request.Header(WebhookSignature.SignatureHeader), request.Body, DateTimeOffset.UtcNow);
        Assert.True(verification.IsValid, verification.Reason);
        JsonElement row = default;
        await Eventually.TrueAsync(async () =>
        {
            var page = await admin.GetFromJsonAsync<JsonElement>($"/api/webhooks/deliveries?webhookId={webhookId}");
            row = page.GetProperty("items").EnumerateArray().SingleOrDefault();
            return row.ValueKind == JsonValueKind.Object && row.GetProperty("status").GetString() == "Delivered";
        }, "the delivery to be listed as delivered");
        Assert.Equal(1, row.GetProperty("attempts").GetInt32());
        Assert.Equal(200, row.GetProperty("lastStatusCode").GetInt32());
    }

    [Fact]
    public void AnOutOfRangeWebhookTimeoutStopsThePortalAtStartNamingTheKey()
    {
        using var misconfigured = factory.WithWebHostBuilder(b => b.UseSetting("Webhooks:TimeoutSeconds", "0"));

        var error = Assert.Throws<OptionsValidationException>(() => misconfigured.CreateClient());

        Assert.Contains("TimeoutSeconds", error.Message);
    }
}
