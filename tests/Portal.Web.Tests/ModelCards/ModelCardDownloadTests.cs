using System.Net;
using Portal.Application.Registry.Cards;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.ModelCards;

/// <summary>The downloads as served through the app's pipeline: content types, file names, and a policy that runs no script.</summary>
public sealed class ModelCardDownloadTests(ModelCardsAppFactory factory) : IClassFixture<ModelCardsAppFactory>
{
    [Fact]
    public async Task TheMarkdownDownloadsAsANamedAttachmentUnderAPolicyThatAllowsNoScript()
    {
        var (runId, _) = await CardRunSeeder.SeedAsync(factory);
        var versionId = await factory.Versions.RegisterAsync(runId, "someone", "someone", new ModelCardInputs("Churn risk", 3));
        var client = await BrowserSession.SignInAsync(factory, DemoAccounts.Manager);

        using var response = await client.GetAsync($"/card-test/{versionId}/card.md");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/markdown; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("Churn-risk-v3-model-card.md", response.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        Assert.Equal(ModelCardHtml.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.StartsWith("# Model card: Churn risk v3\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ThePrintablePageOpensInlineAsHtmlUnderAPolicyThatAllowsNoScript()
    {
        var (runId, _) = await CardRunSeeder.SeedAsync(factory);
        var versionId = await factory.Versions.RegisterAsync(runId, "someone", "someone", new ModelCardInputs("churn", 1));
        var client = await BrowserSession.SignInAsync(factory, DemoAccounts.Dpo);

        using var response = await client.GetAsync($"/card-test/{versionId}/card.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("inline", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("churn-v1-model-card.html", response.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'none'", policy);
        Assert.Contains("default-src 'none'", policy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("<h1>Model card: churn v1</h1>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheCardOfARunThatDoesNotExistIsNotFoundWithTheReason()
    {
        var versionId = await factory.Versions.RegisterAsync(new RunId(Guid.NewGuid()), "someone", "someone");
        var client = await BrowserSession.SignInAsync(factory, DemoAccounts.Manager);

        using var response = await client.GetAsync($"/card-test/{versionId}/card.md");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("does not exist", (await response.JsonAsync()).GetProperty("detail").GetString());
    }
}
