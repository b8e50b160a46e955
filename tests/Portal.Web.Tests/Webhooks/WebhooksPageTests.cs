using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Domain.Security;
using Portal.Domain.Webhooks;
using Portal.Web.Features.Webhooks;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Webhooks;

/// <summary>The webhooks page over the real <see cref="WebhookService"/> and database: the secret once, deactivation only after confirming.</summary>
public sealed class WebhooksPageTests : ComponentTestContext, IClassFixture<PortalAppFactory>
{
    private readonly PortalAppFactory factory;

    public WebhooksPageTests(PortalAppFactory factory)
    {
        this.factory = factory;
        Services.AddSingleton(factory.Services.GetRequiredService<WebhookService>());
    }

    [Fact]
    public async Task CreatingShowsTheSecretOnceWithACopyButtonAndNeverAgain()
    {
        await SignInAdminAsync();
        var name = $"bot-{Guid.NewGuid():N}";
        var cut = RenderPage<WebhooksPage>();

        await cut.InvokeAsync(() => cut.WaitForElement("[data-testid=new-webhook-button]").Click());
        cut.WaitForElement("input[data-testid=webhook-name]").Change(name);
        cut.Find("input[data-testid=webhook-url]").Change("https://hooks.example.com/portal");
        await cut.InvokeAsync(() => cut.Find("[data-testid=webhook-create]").Click());

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=new-webhook]")), TimeSpan.FromSeconds(5));
        var secret = cut.Find("input[data-testid=new-webhook-secret]").GetAttribute("value")!;
        Assert.StartsWith(WebhookSubscription.SecretPrefix, secret);
        Assert.NotEmpty(cut.FindAll("[data-testid=copy-secret]"));
        await cut.InvokeAsync(() => cut.Find("[data-testid=copy-secret]").Click());
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "navigator.clipboard.writeText" && Equals(i.Arguments[0], secret));
        cut.WaitForAssertion(() => Assert.Contains(name, cut.Find("[data-testid=webhooks-table]").TextContent));

        // Opened again, the page lists the webhook but nowhere shows its secret.
        await DisposeComponentsAsync();
        var again = RenderPage<WebhooksPage>();
        again.WaitForAssertion(() => Assert.Contains(name, again.Find("[data-testid=webhooks-table]").TextContent), TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(secret, again.Markup);
        Assert.Empty(again.FindAll("[data-testid=new-webhook]"));
    }

    [Fact]
    public async Task DeactivationHappensOnlyAfterTheAdministratorConfirms()
    {
        await SignInAdminAsync();
        var (subscription, _) = WebhookSubscription.Create($"to-stop-{Guid.NewGuid():N}", "https://hooks.example.com/stop", ["*"], "admin", DemoAccounts.Admin, DateTimeOffset.UtcNow);
        await using (var db = await Db())
        {
            db.WebhookSubscriptions.Add(subscription);
            await db.SaveChangesAsync();
        }

        var cut = RenderPage<WebhooksPage>();
        AngleSharp.Dom.IElement Row() => cut.FindAll("[data-testid=webhooks-table] tr").Single(r => r.TextContent.Contains(subscription.Name, StringComparison.Ordinal));
        cut.WaitForAssertion(() => Assert.NotNull(Row()), TimeSpan.FromSeconds(5));

        await cut.InvokeAsync(() => Row().QuerySelector("[data-testid=deactivate-webhook]")!.Click());
        cut.WaitForAssertion(() => Assert.Contains("Deactivate “" + subscription.Name, cut.Markup));
        await cut.InvokeAsync(() => Button(cut, "Cancel").Click());
        Assert.True(await IsActiveAsync(subscription.Id));

        await cut.InvokeAsync(() => Row().QuerySelector("[data-testid=deactivate-webhook]")!.Click());
        cut.WaitForAssertion(() => Assert.Contains("Deactivate “" + subscription.Name, cut.Markup));
        await cut.InvokeAsync(() => Button(cut, "Deactivate", inDialog: true).Click());

        cut.WaitForAssertion(() => Assert.Contains("Deactivated", Row().TextContent), TimeSpan.FromSeconds(5));
        Assert.False(await IsActiveAsync(subscription.Id));
        Assert.Null(Row().QuerySelector("[data-testid=deactivate-webhook]"));
    }

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<PageHost> cut, string text, bool inDialog = false) =>
        cut.FindAll(inDialog ? ".mud-dialog button" : "button").Last(b => b.TextContent.Trim() == text);

    private async Task SignInAdminAsync()
    {
        await using var db = await Db();
        SignInAs(await db.Users.Where(u => u.Email == DemoAccounts.Admin).Select(u => u.Id).FirstAsync(), DemoAccounts.Admin, Roles.Administrator);
    }

    private async Task<bool> IsActiveAsync(WebhookSubscriptionId id)
    {
        await using var db = await Db();
        return await db.WebhookSubscriptions.Where(s => s.Id == id).Select(s => s.IsActive).SingleAsync();
    }

    private Task<PortalDbContext> Db() => factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
}
