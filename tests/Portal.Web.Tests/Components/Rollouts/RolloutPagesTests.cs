using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Rollouts;
using Portal.Domain.Audit;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Security;
using Portal.Web.Features.Rollouts;
using Portal.Web.Tests.Components.Registry;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Components.Rollouts;

/// <summary>The rollout pages and their parts over a running app's database and live-event bus.</summary>
public sealed class RolloutPagesTests : RegistryComponentTestContext, IClassFixture<PortalAppFactory>
{
    private static readonly DateTime Now = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);

    public RolloutPagesTests(PortalAppFactory factory)
        : base(factory)
    {
        Services.AddSingleton(factory.Services.GetRequiredService<RolloutPageQueries>());
        Services.AddSingleton(factory.Services.GetRequiredService<RolloutControl>());
        Services.AddSingleton(TimeProvider.System);
    }

    [Fact]
    public async Task TheListSaysHowARolloutStartsWhenThereIsNone()
    {
        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);

        var cut = RenderPage<RolloutsPage>();

        cut.WaitForAssertion(() => Assert.Contains("No rollout yet", cut.Find("[data-testid=rollouts-empty]").TextContent), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AnUnknownRolloutSaysSoWithALinkToTheList()
    {
        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);

        var cut = RenderPage<RolloutPage>(("RolloutGuid", Guid.NewGuid()));

        cut.WaitForAssertion(() => Assert.Contains("does not exist", cut.Find("[data-testid=rollout-not-found]").TextContent), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void EachClosedStepShowsItsVerdictInWordsWithBothArmsFigures()
    {
        RolloutStepVerdict[] verdicts =
        [
            new(0, 10, Now, Now.AddMinutes(1), true, "canary accuracy 0.84 vs 0.83: non-inferior", new(600, 0, 120, 0.83, 0.76, 0.89), new(60, 1, 55, 0.84, 0.72, 0.92), null),
            new(1, 50, Now.AddMinutes(1), Now.AddMinutes(3), false, "canary accuracy 0.21 vs 0.83: worse by more than the margin", null, null, null),
        ];

        var cut = Render<RolloutVerdicts>(p => p.Add(v => v.Verdicts, verdicts).Add(v => v.Metric, RolloutTaskMetric.Accuracy));

        var rows = cut.FindAll("[data-testid=verdict]");
        Assert.Equal(2, rows.Count);
        Assert.Equal(["passed", "failed"], cut.FindAll("[data-testid=verdict-outcome]").Select(e => e.TextContent.Trim()));
        Assert.Contains("worse by more than the margin", rows[1].TextContent);
        Assert.Contains("accuracy 0.84", rows[0].TextContent);
        Assert.Contains("55 labelled", rows[0].TextContent);
    }

    [Fact]
    public void NoStepJudgedYetIsSaid()
    {
        var cut = Render<RolloutVerdicts>(p => p.Add(v => v.Verdicts, []));

        Assert.Contains("No step has been judged yet", cut.Find("[data-testid=verdicts-empty]").TextContent);
    }

    [Fact]
    public void ControlsAreHiddenFromUsersWithoutTheManageRolloutsPolicy()
    {
        var cut = RenderControlsOnly(Running(), mayManage: AuthorizationMatrix.IsAllowed(Policies.ManageRollouts, [Roles.DataScientist]));

        Assert.Empty(cut.FindAll("[data-testid=rollout-controls]"));
    }

    [Fact]
    public void AManagerSeesPauseAbortAndRollBackOnARunningRolloutAndResumeOnAPausedOne()
    {
        var mayManage = AuthorizationMatrix.IsAllowed(Policies.ManageRollouts, [Roles.BusinessManager]);

        var running = RenderControlsOnly(Running(), mayManage);
        var paused = RenderControlsOnly(Running() with { State = RolloutState.Paused }, mayManage);

        Assert.NotNull(running.Find("[data-testid=rollout-pause]"));
        Assert.NotNull(running.Find("[data-testid=rollout-abort]"));
        Assert.NotNull(running.Find("[data-testid=rollout-rollback]"));
        Assert.Empty(running.FindAll("[data-testid=rollout-resume]"));
        Assert.NotNull(paused.Find("[data-testid=rollout-resume]"));
    }

    [Fact]
    public void AFinishedRolloutOffersNoControls()
    {
        var cut = RenderControlsOnly(Running() with { State = RolloutState.RolledBack }, mayManage: true);

        Assert.Empty(cut.FindAll("[data-testid=rollout-controls]"));
    }

    [Fact]
    public void RollingBackAsksForConfirmationAndAReasonBeforeAnythingHappens()
    {
        var cut = RenderControls(Running(), mayManage: true);

        cut.Find("[data-testid=rollout-rollback]").Click();
        cut.WaitForAssertion(() => Assert.Contains("All traffic returns to v1", cut.Find("[data-testid=rollout-action-explanation]").TextContent));
        // Confirming without a reason is refused in words; the use case is not called (the dialog stays open).
        cut.Find("[data-testid=rollout-action-confirm]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Give a reason", cut.Find("[data-testid=dialog-error]").TextContent));
        Assert.NotNull(cut.Find("[data-testid=rollout-action-reason]"));
        cut.Find("[data-testid=rollout-action-cancel]").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=rollout-action-confirm]")));
    }

    [Fact]
    public async Task AScientistSeesTheModelsPolicyButNoEditor()
    {
        await SignInAsync(DemoAccounts.Scientist, Roles.DataScientist);

        var cut = RenderCard(RegisteredModelId.New(DateTimeOffset.UtcNow), mayManage: AuthorizationMatrix.IsAllowed(Policies.ManageRollouts, [Roles.DataScientist]));

        cut.WaitForAssertion(() => Assert.Contains("No rollout policy", cut.Find("[data-testid=rollout-policy-text]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=edit-rollout-policy]"));
    }

    [Fact]
    public async Task ThePolicyEditorExplainsWhatIsWrongBeforeSaving()
    {
        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);
        var managerView = RenderCard(RegisteredModelId.New(DateTimeOffset.UtcNow), mayManage: AuthorizationMatrix.IsAllowed(Policies.ManageRollouts, [Roles.BusinessManager]));
        managerView.WaitForAssertion(() => managerView.Find("[data-testid=edit-rollout-policy]").Click());
        managerView.WaitForElement("input[data-testid=policy-steps]").Input("50, 10");
        managerView.Find("[data-testid=policy-save]").Click();

        managerView.WaitForAssertion(() => Assert.Contains("the last one is 100", managerView.Find("[data-testid=policy-problems]").TextContent));
    }

    private static RolloutRow Running() =>
        new(RolloutId.New(DateTimeOffset.UtcNow), RegisteredModelId.New(DateTimeOffset.UtcNow), "loan-default", 1, 2, RolloutState.Running, 0, 3, 10, Now, Now, null, null);

    private IRenderedComponent<PageHost> RenderControls(RolloutRow summary, bool mayManage) =>
        RenderPage<RolloutControls>(
            (nameof(RolloutControls.Summary), summary),
            (nameof(RolloutControls.MayManage), mayManage),
            (nameof(RolloutControls.Actor), AuditActor.User("user-1", DemoAccounts.Manager)),
            (nameof(RolloutControls.Roles), (IReadOnlyCollection<string>)[Roles.BusinessManager]));

    private IRenderedComponent<RolloutControls> RenderControlsOnly(RolloutRow summary, bool mayManage) =>
        Render<RolloutControls>(p => p
            .Add(c => c.Summary, summary)
            .Add(c => c.MayManage, mayManage)
            .Add(c => c.Actor, AuditActor.User("user-1", DemoAccounts.Manager))
            .Add(c => c.Roles, [Roles.BusinessManager]));

    private IRenderedComponent<PageHost> RenderCard(RegisteredModelId modelId, bool mayManage) =>
        RenderPage<ModelRolloutCard>(
            (nameof(ModelRolloutCard.ModelId), modelId),
            (nameof(ModelRolloutCard.MayManage), mayManage),
            (nameof(ModelRolloutCard.Actor), AuditActor.User("user-1", DemoAccounts.Manager)),
            (nameof(ModelRolloutCard.Roles), (IReadOnlyCollection<string>)[Roles.BusinessManager]));
}
