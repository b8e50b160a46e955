using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Registry;
using Portal.Domain.Security;
using Portal.Web.Components.Layout;
using Portal.Web.Features.Registry;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Components.Registry;

/// <summary>
/// The registry's pages rendered with bUnit over a running app whose data was made through the use cases: the models list,
/// a model's production history, the inbox badge following live events, and the evidence page's decisions by role.
/// </summary>
public sealed class RegistryPagesTests(PortalAppFactory factory) : RegistryComponentTestContext(factory), IClassFixture<PortalAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ModelsListShowsEachModelsRiskChampionAndOpenRequestsAndSaysWhenASearchMatchesNothing()
    {
        var tag = RegistrySeed.Tag();
        await Seed.ModelAsync($"{tag}-churn");
        var v1 = await Seed.VersionAsync($"{tag}-churn", DemoAccounts.Scientist, 0.80);
        var first = await Seed.RequestAsync($"{tag}-churn", v1);
        await Seed.ApproveAsync(first, await Seed.EvaluateAsync(first, EvidenceSamples.Binary()));
        Assert.True((await Seed.Models.ChangeRiskTierAsync($"{tag}-churn", RiskTier.High, await Seed.ActorAsync(DemoAccounts.Manager), [Roles.BusinessManager],
            CancellationToken.None)).Succeeded);
        var v2 = await Seed.VersionAsync($"{tag}-churn", DemoAccounts.Scientist, 0.84);
        await Seed.RequestAsync($"{tag}-churn", v2);
        await Seed.ModelAsync($"{tag}-fraud", "");
        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);

        var cut = RenderPage<ModelsPage>();
        cut.WaitForElement("input[aria-label='Search models']").Input(tag);

        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count), Wait);
        var churn = Row(cut, $"{tag}-churn");
        Assert.Contains("High risk", churn.QuerySelector("[data-testid=risk-tier]")!.TextContent);
        Assert.Equal("v1", churn.QuerySelector("[data-testid=model-champion]")!.TextContent.Trim());
        Assert.Contains("1 open", churn.QuerySelector("[data-testid=model-open-requests]")!.TextContent);
        Assert.Equal($"models/{tag}-churn", churn.QuerySelector("[data-testid=model-link]")!.GetAttribute("href"));
        var fraud = Row(cut, $"{tag}-fraud");
        Assert.Equal("none", fraud.QuerySelector("[data-testid=model-champion]")!.TextContent.Trim());
        Assert.Contains("Low risk", fraud.QuerySelector("[data-testid=risk-tier]")!.TextContent);
        Assert.Empty(cut.FindAll("[data-testid=register-model]")); // managers decide; data scientists register

        cut.Find("input[aria-label='Search models']").Input($"{tag}-nothing");
        cut.WaitForAssertion(() => Assert.Contains($"No model matches “{tag}-nothing”", cut.Find("[data-testid=models-empty]").TextContent), Wait);
    }

    [Fact]
    public async Task ModelPageShowsWhichVersionWasChampionFromWhenToWhenWhoApprovedItAndWhy()
    {
        var tag = RegistrySeed.Tag();
        var model = $"{tag}-loans";
        await Seed.ModelAsync(model);
        var v1 = await Seed.VersionAsync(model, DemoAccounts.Scientist, 0.80);
        var first = await Seed.RequestAsync(model, v1);
        await Seed.ApproveAsync(first, await Seed.EvaluateAsync(first, EvidenceSamples.Binary()));
        var v2 = await Seed.VersionAsync(model, DemoAccounts.Scientist, 0.85);
        var second = await Seed.RequestAsync(model, v2);
        var evidence = await Seed.EvaluateAsync(second, EvidenceSamples.Binary());
        await Seed.ApproveAsync(second, evidence);
        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);

        var cut = RenderPage<ModelPage>((nameof(ModelPage.Name), model));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=history-entry]").Count), Wait);
        var entries = cut.FindAll("[data-testid=history-entry]");
        Assert.Equal("2", entries[0].GetAttribute("data-version"));
        Assert.Contains("now (champion)", entries[0].TextContent);
        Assert.Contains("Morgan Manager", entries[0].QuerySelector("[data-testid=history-approved-by]")!.TextContent);
        Assert.Contains("Version 2 finds more of the customers who leave.", entries[0].QuerySelector("[data-testid=history-reason]")!.TextContent);
        Assert.Equal(evidence, entries[0].QuerySelector("[data-testid=history-evidence]")!.GetAttribute("title"));
        Assert.Equal($"promotions/{second}", entries[0].QuerySelector("[data-testid=history-request-link]")!.GetAttribute("href"));
        Assert.Equal("1", entries[1].GetAttribute("data-version"));
        Assert.DoesNotContain("now (champion)", entries[1].TextContent); // closed when version 2 took its place
        Assert.Empty(cut.FindAll("[data-testid=history-overridden]"));
        var versions = cut.FindAll("[data-testid=version-row]");
        Assert.Equal(["2", "1"], versions.Select(v => v.GetAttribute("data-version")));
        Assert.Contains("Production", versions[0].QuerySelector("[data-testid=stage]")!.TextContent);
        Assert.Contains("Archived", versions[1].QuerySelector("[data-testid=stage]")!.TextContent);
        Assert.Contains("Version 2", cut.Find("[data-testid=champion-card]").TextContent);

        // The signature is one click away: the model's inputs with their types.
        await cut.InvokeAsync(() => cut.FindAll("[data-testid=signature-toggle]")[0].Click());
        cut.WaitForAssertion(() => Assert.Contains("Income", cut.Find("[data-testid=signature]").TextContent), Wait);
    }

    [Fact]
    public async Task AScientistRegistersAVersionFromTheirSucceededRunAndRequestsItsPromotion()
    {
        var tag = RegistrySeed.Tag();
        var model = $"{tag}-mine";
        await Seed.ModelAsync(model);
        await Seed.SucceededRunAsync(DemoAccounts.Scientist, $"{tag}-exp", 0.83);
        await Seed.SucceededRunAsync("scientist2@portal.local", $"{tag}-theirs", 0.9); // someone else's run is not offered
        await SignInAsync(DemoAccounts.Scientist, Roles.DataScientist);
        var cut = RenderPage<ModelPage>((nameof(ModelPage.Name), model));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=versions-empty]")), Wait);

        await cut.InvokeAsync(() => cut.Find("[data-testid=register-version]").Click());
        // The scientist's own succeeded runs (this class's other tests made some too); never another scientist's.
        cut.WaitForAssertion(() => Assert.Contains($"{tag}-exp", cut.Find("[data-testid=version-run]").TextContent), Wait);
        Assert.DoesNotContain($"{tag}-theirs", cut.Find("[data-testid=version-run]").TextContent);
        var mine = cut.FindAll("[data-testid=version-run] label").Single(l => l.TextContent.Contains($"{tag}-exp", StringComparison.Ordinal));
        await cut.InvokeAsync(() => mine.QuerySelector("input[data-testid=version-run-option]")!.Click());
        await cut.InvokeAsync(() => cut.Find("[data-testid=version-save]").Click());

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=version-row]")), Wait);
        Assert.Contains("0.83", cut.Find("[data-testid=version-metric]").TextContent);
        await cut.InvokeAsync(() => cut.Find("[data-testid=request-promotion]").Click());
        cut.WaitForElement("textarea[data-testid=promotion-justification]").Input("Finds more of the customers who leave.");
        await cut.InvokeAsync(() => cut.Find("[data-testid=promotion-save]").Click());

        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        cut.WaitForAssertion(() => Assert.Contains("/promotions/", navigation.Uri), Wait);
        var requestId = Portal.Domain.Registry.PromotionRequestId.Parse(navigation.Uri[(navigation.Uri.LastIndexOf('/') + 1)..]);
        var details = await Factory.Services.GetRequiredService<RegistryQueries>().GetRequestAsync(requestId, false, CancellationToken.None);
        Assert.Equal((model, 1, PromotionStatus.Evaluating), (details!.Summary.Model, details.Summary.Version, details.Summary.Status));
        Assert.Equal("Finds more of the customers who leave.", details.Summary.Justification);
    }

    [Fact]
    public async Task InboxBadgeCountsANewPendingRequestAndItsDecisionWithoutAReload()
    {
        var tag = RegistrySeed.Tag();
        await Seed.ModelAsync($"{tag}-badge");
        var version = await Seed.VersionAsync($"{tag}-badge", DemoAccounts.Scientist, 0.8);
        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);
        var cut = Render<NavMenu>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=nav-inbox]")), Wait);
        var before = Badge(cut);

        // Requested and evaluated elsewhere (the use cases, a real save through the outbox): one more waits for a manager.
        var request = await Seed.RequestAsync($"{tag}-badge", version);
        var evidence = await Seed.EvaluateAsync(request, EvidenceSamples.Binary());
        cut.WaitForAssertion(() => Assert.Equal(before + 1, Badge(cut)), Wait);

        await Seed.ApproveAsync(request, evidence, DemoAccounts.Manager);
        cut.WaitForAssertion(() => Assert.Equal(before, Badge(cut)), Wait);
    }

    [Fact]
    public async Task AManagerApprovesOnTheEvidenceShownAndTheRequestIsApproved()
    {
        var (request, evidence) = await PendingRequestAsync();
        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);

        var cut = RenderPage<PromotionPage>((nameof(PromotionPage.RequestId), request.Value));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=approve]")), Wait);
        Assert.Empty(cut.FindAll("[data-testid=approval-refusal]"));
        Assert.Contains(evidence, cut.Find("[data-testid=evidence-hash]").TextContent);
        Assert.Contains("better by 4.0 points of AUC", cut.Find("[data-testid=evidence-sentence]").TextContent);
        Assert.Equal("Passed", cut.Find("[data-testid=gate-row-Quality]").GetAttribute("data-verdict"));

        await cut.InvokeAsync(() => cut.Find("[data-testid=approve]").Click());
        cut.WaitForElement("textarea[data-testid=decision-comment]").Input("Clear uplift on the hold-out.");
        await cut.InvokeAsync(() => cut.Find("[data-testid=decision-submit]").Click());

        cut.WaitForAssertion(() => Assert.Equal("Approved", cut.Find("[data-testid=promotion-status]").TextContent.Trim()), Wait);
        Assert.Contains("Clear uplift on the hold-out.", cut.Find("[data-testid=approvals]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=approve]"));
    }

    [Fact]
    public async Task TheRequesterSeesWhyTheyMayNotApproveInsteadOfTheButtonEvenHoldingTheManagersRole()
    {
        var (request, _) = await PendingRequestAsync();
        await SignInAsync(DemoAccounts.Scientist, Roles.DataScientist, Roles.BusinessManager);

        var cut = RenderPage<PromotionPage>((nameof(PromotionPage.RequestId), request.Value));

        cut.WaitForAssertion(() => Assert.Contains("someone else must decide it (four-eyes)", cut.Find("[data-testid=approval-refusal]").TextContent), Wait);
        Assert.Empty(cut.FindAll("[data-testid=approve]"));
    }

    [Fact]
    public async Task RejectingWithoutACommentIsRefusedInTheDialogAndWithOneTheRequestIsRejected()
    {
        var (request, _) = await PendingRequestAsync();
        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);
        var cut = RenderPage<PromotionPage>((nameof(PromotionPage.RequestId), request.Value));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=reject]")), Wait);

        await cut.InvokeAsync(() => cut.Find("[data-testid=reject]").Click());
        cut.WaitForElement("[data-testid=decision-submit]");
        await cut.InvokeAsync(() => cut.Find("[data-testid=decision-submit]").Click());

        cut.WaitForAssertion(() => Assert.Contains("A comment is required", cut.Find("[data-testid=dialog-error]").TextContent), Wait);
        Assert.Equal("Pending", cut.Find("[data-testid=promotion-status]").TextContent.Trim());

        cut.Find("textarea[data-testid=decision-comment]").Input("The uplift is within noise for our largest segment.");
        await cut.InvokeAsync(() => cut.Find("[data-testid=decision-submit]").Click());
        cut.WaitForAssertion(() => Assert.Equal("Rejected", cut.Find("[data-testid=promotion-status]").TextContent.Trim()), Wait);
        Assert.Contains("within noise", cut.Find("[data-testid=rejection]").TextContent);
    }

    private async Task<(PromotionRequestId Request, string Evidence)> PendingRequestAsync()
    {
        var tag = RegistrySeed.Tag();
        await Seed.ModelAsync($"{tag}-decide");
        var version = await Seed.VersionAsync($"{tag}-decide", DemoAccounts.Scientist, 0.84);
        var request = await Seed.RequestAsync($"{tag}-decide", version);
        return (request, await Seed.EvaluateAsync(request, EvidenceSamples.Binary()));
    }

    private static int Badge(IRenderedComponent<NavMenu> cut) =>
        cut.FindAll("[data-testid=inbox-badge]") is { Count: 1 } badge ? int.Parse(badge[0].TextContent.Trim(), System.Globalization.CultureInfo.InvariantCulture) : 0;

    private static List<AngleSharp.Dom.IElement> Rows(IRenderedComponent<PageHost> cut) =>
        [.. cut.FindAll("[data-testid=models-table] tbody tr").Where(tr => tr.QuerySelector("[data-testid=model-link]") is not null)];

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<PageHost> cut, string name) =>
        Rows(cut).Single(tr => tr.QuerySelector("[data-testid=model-link]")!.TextContent == name);
}
