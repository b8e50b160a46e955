using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Monitoring;
using Portal.Application.Registry;
using Portal.Data;
using Portal.Domain.Audit;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Security;
using Portal.Web.Features.Monitoring;
using Portal.Web.Tests.Components.Registry;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Components.Monitoring;

/// <summary>The model page's monitoring card and its policies dialog over a running app's database.</summary>
public sealed class MonitoringPoliciesDialogTests : RegistryComponentTestContext, IClassFixture<PortalAppFactory>
{
    private static readonly AuditActor Manager = AuditActor.User("manager-id", DemoAccounts.Manager);

    public MonitoringPoliciesDialogTests(PortalAppFactory factory)
        : base(factory)
    {
        Services.AddSingleton(factory.Services.GetRequiredService<MonitoringPolicies>());
        Services.AddSingleton(factory.Services.GetRequiredService<RetrainingQueries>());
    }

    [Fact]
    public async Task TheDialogSaysWhatIsWrongInTheDomainsWordsAndSavesNothing()
    {
        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);
        var model = await ModelAsync("dialog-invalid");
        var cut = RenderCard(model, mayManage: true);
        cut.WaitForAssertion(() => cut.Find("[data-testid=edit-monitoring-policies]").Click());

        cut.WaitForElement("input[data-testid=monitoring-psi]").Change("0");
        cut.Find("[data-testid=monitoring-policy-save]").Click();

        cut.WaitForAssertion(() => Assert.Contains("The PSI threshold is above 0", cut.Find("[data-testid=monitoring-policy-problems]").TextContent));
        Assert.Equal((null, null), await PoliciesAsync(model.Id));
    }

    [Fact]
    public async Task SubmittingTheFormWithTheKeyboardSavesBothPoliciesAndTheCardSaysSo()
    {
        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);
        var model = await ModelAsync("dialog-saved");
        var cut = RenderCard(model, mayManage: true);
        cut.WaitForAssertion(() => Assert.Contains("Not retrained automatically", cut.Find("[data-testid=retraining-policy-text]").TextContent));
        cut.Find("[data-testid=edit-monitoring-policies]").Click();

        cut.WaitForElement("input[data-testid=monitoring-window-minutes]").Change("3");
        cut.Find("input[data-testid=retraining-enabled]").Change(true);
        cut.WaitForElement("input[data-testid=retraining-minimum-rows]").Change("700");
        // Enter in a field submits the form: the same path as the Save button.
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("at least 700 labelled rows", cut.Find("[data-testid=retraining-policy-text]").TextContent), TimeSpan.FromSeconds(10));
        Assert.Contains("3-minute", cut.Find("[data-testid=monitoring-policy-text]").TextContent);
        var (monitoring, retraining) = await PoliciesAsync(model.Id);
        Assert.Equal(MonitoringPolicy.Default with { WindowMinutes = 3 }, monitoring);
        Assert.Equal(RetrainingPolicy.Default with { MinimumRows = 700 }, retraining);
    }

    [Fact]
    public async Task AnOfficerSeesThePoliciesButNoEditor()
    {
        await SignInAsync(DemoAccounts.Dpo, Roles.DataProtectionOfficer);
        var model = await ModelAsync("dialog-readonly");

        var cut = RenderCard(model, mayManage: AuthorizationMatrix.IsAllowed(Policies.ManageMonitoring, [Roles.DataProtectionOfficer]));

        cut.WaitForAssertion(() => Assert.Contains("Default thresholds", cut.Find("[data-testid=monitoring-policy-text]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=edit-monitoring-policies]"));
    }

    private async Task<RegisteredModel> ModelAsync(string prefix)
    {
        var registry = Factory.Services.GetRequiredService<ModelRegistry>();
        var created = await registry.CreateAsync(new CreateModel($"{prefix}-{Guid.NewGuid():N}"[..30], "dialog tests"), AuditActor.User("scientist-id", DemoAccounts.Scientist),
            [Roles.DataScientist], CancellationToken.None);
        Assert.True(created.Succeeded, created.Error);
        return created.Value!;
    }

    private async Task<(MonitoringPolicy? Monitoring, RetrainingPolicy? Retraining)> PoliciesAsync(RegisteredModelId id)
    {
        await using var db = await Factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var found = await db.RegisteredModels.AsNoTracking().Where(m => m.Id == id).Select(m => new { m.MonitoringPolicy, m.RetrainingPolicy }).FirstAsync();
        return (found.MonitoringPolicy, found.RetrainingPolicy);
    }

    private IRenderedComponent<PageHost> RenderCard(RegisteredModel model, bool mayManage) =>
        RenderPage<ModelMonitoringCard>(
            (nameof(ModelMonitoringCard.ModelId), model.Id),
            (nameof(ModelMonitoringCard.ModelName), model.Name),
            (nameof(ModelMonitoringCard.MayManage), mayManage),
            (nameof(ModelMonitoringCard.Actor), Manager),
            (nameof(ModelMonitoringCard.Roles), (IReadOnlyCollection<string>)[Roles.BusinessManager]));
}
