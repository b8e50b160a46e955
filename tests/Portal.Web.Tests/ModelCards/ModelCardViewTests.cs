using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Registry.Cards;
using Portal.Data;
using Portal.Domain.Audit;
using Portal.Domain.Registry;
using Portal.Domain.Security;
using Portal.Web.Features.ModelCards;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.ModelCards;

/// <summary>The card on the version page: facts, and the written sections edited in place by those who may.</summary>
public sealed class ModelCardViewTests : ComponentTestContext, IClassFixture<ModelCardsAppFactory>
{
    private readonly ModelCardsAppFactory factory;

    public ModelCardViewTests(ModelCardsAppFactory factory)
    {
        this.factory = factory;
        Services.AddSingleton(factory.Services.GetRequiredService<ModelCardReader>());
        Services.AddSingleton(factory.Services.GetRequiredService<ModelCardEditing>());
    }

    [Fact]
    public async Task TheRegistrantEditsASectionInPlaceSavesItAndSeesTheSavedText()
    {
        var (versionId, runId) = await VersionAsync();
        var cut = await RenderAsScientistAsync(versionId, runId);

        cut.Find("[data-testid=card-section-IntendedUse] [data-testid=card-section-edit]").Click();
        cut.Find("textarea[data-testid=card-section-text-IntendedUse]").Input("Rank applications for review.\n\nNever decide alone.");
        cut.Find("[data-testid=card-section-IntendedUse] [data-testid=card-section-save]").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("textarea")));
        var paragraphs = cut.FindAll("[data-testid=card-section-IntendedUse] [data-testid=card-section-body] p").Select(p => p.TextContent.Trim()).ToList();
        Assert.Equal(["Rank applications for review.", "Never decide alone."], paragraphs);
        Assert.Contains($"Last edited by {DemoAccounts.Scientist}", cut.Find("[data-testid=card-section-IntendedUse] [data-testid=card-section-edited]").TextContent);
        await using var db = await Db();
        var saved = await db.ModelCardSections.SingleAsync(s => s.ModelVersionId == versionId);
        Assert.Equal(("Rank applications for review.\n\nNever decide alone.", 1), (saved.Text, saved.Revision));
        var id = versionId.ToString();
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.SubjectId == id && e.Action == AuditActions.ModelCardEdited.Name));
    }

    [Fact]
    public async Task CancelAndEscapePutTheSavedTextBackAndSaveNothing()
    {
        var (versionId, runId) = await VersionAsync();
        var cut = await RenderAsScientistAsync(versionId, runId);

        cut.Find("[data-testid=card-section-Limitations] [data-testid=card-section-edit]").Click();
        cut.Find("textarea[data-testid=card-section-text-Limitations]").Input("Draft I abandon.");
        cut.Find("[data-testid=card-section-Limitations] [data-testid=card-section-cancel]").Click();
        cut.Find("[data-testid=card-section-Limitations] [data-testid=card-section-edit]").Click();
        Assert.Equal("", cut.Find("textarea[data-testid=card-section-text-Limitations]").GetAttribute("value") ?? "");
        cut.Find("textarea[data-testid=card-section-text-Limitations]").Input("Another draft.");
        KeyTarget(cut, "Limitations").KeyDown(new KeyboardEventArgs { Key = "Escape" });

        Assert.Empty(cut.FindAll("textarea"));
        Assert.Equal(ModelCardLayout.NotWritten, cut.Find("[data-testid=card-section-Limitations] [data-testid=card-section-body]").TextContent.Trim());
        await using var db = await Db();
        Assert.False(await db.ModelCardSections.AnyAsync(s => s.ModelVersionId == versionId));
    }

    [Fact]
    public async Task CtrlEnterSavesAndTextTheRuleRefusesShowsWhyAndIsNotSaved()
    {
        var (versionId, runId) = await VersionAsync();
        var cut = await RenderAsScientistAsync(versionId, runId);

        cut.Find("[data-testid=card-section-EthicalConsiderations] [data-testid=card-section-edit]").Click();
        cut.Find("textarea[data-testid=card-section-text-EthicalConsiderations]").Input("Hidden \u202E reversal");

        cut.WaitForAssertion(() => Assert.Contains("bidirectional control character", cut.Find("[data-testid=card-section-EthicalConsiderations]").TextContent));
        Assert.True(cut.Find("[data-testid=card-section-EthicalConsiderations] [data-testid=card-section-save]").HasAttribute("disabled"));

        cut.Find("textarea[data-testid=card-section-text-EthicalConsiderations]").Input("Age is used; see fairness.");
        KeyTarget(cut, "EthicalConsiderations").KeyDown(new KeyboardEventArgs { Key = "Enter", CtrlKey = true });

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("textarea")));
        await using var db = await Db();
        Assert.Equal("Age is used; see fairness.", (await db.ModelCardSections.SingleAsync(s => s.ModelVersionId == versionId)).Text);
    }

    [Fact]
    public async Task SomeoneWhoMayNotEditReadsTheCardWithoutAnEditButton()
    {
        var (versionId, runId) = await VersionAsync();
        SignInAs(await DemoUsers.IdOfAsync(factory, DemoAccounts.Dpo), DemoAccounts.Dpo, Roles.DataProtectionOfficer);

        var cut = Render<ModelCardView>(p => p.Add(c => c.VersionId, versionId).Add(c => c.RunId, runId)
            .Add(c => c.DownloadBase, ModelCardView.DownloadBaseFor("churn risk", 3)));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=card-part-metrics]")));
        Assert.Empty(cut.FindAll("[data-testid=card-section-edit]"));
        Assert.Equal("api/models/churn%20risk/versions/3/card.md", cut.Find("[data-testid=model-card-markdown]").GetAttribute("href"));
        Assert.Equal("api/models/churn%20risk/versions/3/card.html", cut.Find("[data-testid=model-card-html]").GetAttribute("href"));
        Assert.Contains("AUC (ROC)", cut.Find("[data-testid=card-part-metrics]").TextContent);
        Assert.Contains(ModelCardLayout.NotComputedFairness, cut.Find("[data-testid=card-part-fairness]").TextContent);
    }

    private async Task<IRenderedComponent<ModelCardView>> RenderAsScientistAsync(ModelVersionId versionId, Portal.Domain.Runs.RunId runId)
    {
        SignInAs(await DemoUsers.IdOfAsync(factory, DemoAccounts.Scientist), DemoAccounts.Scientist, Roles.DataScientist);
        var cut = Render<ModelCardView>(p => p.Add(c => c.VersionId, versionId).Add(c => c.RunId, runId));
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=card-section-edit]").Count));
        return cut;
    }

    private static AngleSharp.Dom.IElement KeyTarget(IRenderedComponent<ModelCardView> cut, string section) =>
        cut.Find($"[data-testid=card-section-{section}] [data-testid=card-section-keys]");

    private async Task<(ModelVersionId, Portal.Domain.Runs.RunId)> VersionAsync()
    {
        var scientist = await DemoUsers.IdOfAsync(factory, DemoAccounts.Scientist);
        var (runId, _) = await CardRunSeeder.SeedAsync(factory);
        return (await factory.Versions.RegisterAsync(runId, scientist, scientist), runId);
    }

    private Task<PortalDbContext> Db() => factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
}
