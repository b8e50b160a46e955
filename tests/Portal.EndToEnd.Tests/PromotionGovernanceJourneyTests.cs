using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Application.Datasets;
using Portal.Application.Registry;
using Portal.Application.Runs;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.EndToEnd.Tests.Infrastructure;
using Portal.EndToEnd.Tests.Pages;
using Portal.EndToEnd.Tests.TestData;
using Portal.Web.Features.Datasets;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Issue 10's "done when", in the browser over a real worker: a data scientist registers a better challenger and asks for
/// its promotion; the manager's inbox badge rises without a reload, the manager reads the evidence and approves; the champion
/// changes and the history says who, when and why; the scientist's own approval is refused; a challenger that drops an input
/// is blocked as breaking; one trained on personal data waits for the DPO; the audit chain holds the evidence hash.
/// </summary>
public sealed class PromotionGovernanceJourneyTests(TrainingBrowserFixture fixture) : BrowserTest(fixture), IClassFixture<TrainingBrowserFixture>
{
    // Evaluations and trainings share two cores with Kestrel, the circuits and chromium.
    private static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 120_000 };
    private static readonly LocatorAssertionsToBeVisibleOptions SlowVisible = new() { Timeout = 120_000 };
    private static readonly LocatorAssertionsToContainTextOptions SlowContains = new() { Timeout = 120_000 };

    private IServiceProvider Services => Fixture.App.Services;

    private GovernanceSteps Steps => new(Services);

    [Fact]
    public async Task ABetterChallengerIsPromotedByTheManagerOnFrozenEvidenceWhileBreakingAndPersonalDataRequestsWait()
    {
        // Arrange: data the DPO classified, a champion without the contract column, three challengers trained by the worker.
        var scientist = await Steps.ActorAsync(DemoAccounts.Scientist);
        var manager2 = await Steps.ActorAsync(DemoAccounts.Manager2);
        var officer = await Steps.ActorAsync(DemoAccounts.DataProtectionOfficer);
        var model = $"churn-{Guid.NewGuid():N}"[..14];
        var churn = new ChurnCsvBuilder().WithRows(3000).WithSeed(41).Build();
        var withoutContract = await Steps.UploadAsync($"{model}-v1", Drop(churn, ChurnCsvBuilder.PersonalDataColumn, "contract"), scientist, officer);
        var anonymous = await Steps.UploadAsync($"{model}-v2", Drop(churn, ChurnCsvBuilder.PersonalDataColumn), scientist, officer);
        var withoutCalls = await Steps.UploadAsync($"{model}-v3", Drop(churn, ChurnCsvBuilder.PersonalDataColumn, "support_calls"), scientist, officer);
        var personal = await Steps.UploadAsync($"{model}-v4", churn, scientist, officer);
        var holdOut = await Steps.UploadAsync($"{model}-holdout",
            Drop(new ChurnCsvBuilder().WithRows(4000).WithSeed(42).Build(), ChurnCsvBuilder.PersonalDataColumn), scientist, officer);
        var championRun = await Steps.TrainAsync($"{model}-champion", withoutContract, scientist);
        var challengerRun = await Steps.TrainAsync($"{model}-challenger", anonymous, scientist);
        var breakingRun = await Steps.TrainAsync($"{model}-breaking", withoutCalls, scientist);
        var personalRun = await Steps.TrainAsync($"{model}-personal", personal, scientist);
        await Steps.WaitForRunsAsync(championRun, challengerRun, breakingRun, personalRun);

        var registry = Services.GetRequiredService<ModelRegistry>();
        var workflow = Services.GetRequiredService<PromotionWorkflow>();
        Assert.True((await registry.CreateAsync(new CreateModel(model, "Which customers leave within the quarter."), scientist, [Roles.DataScientist], default)).Succeeded);
        Assert.True((await registry.DesignateHoldOutAsync(model, holdOut.DatasetId, holdOut.Version, scientist, [Roles.DataScientist], default)).Succeeded);
        Assert.True((await registry.RegisterVersionAsync(model, championRun, scientist, default)).Succeeded);
        var first = (await workflow.RequestAsync(new RequestPromotion(model, 1, ModelStage.Production, "The first model."), scientist, [Roles.DataScientist], default)).Value!;
        var firstEvaluated = await Steps.EvaluatedAsync(first.Id);
        Assert.Equal(PromotionStatus.Pending, firstEvaluated.Status);
        Assert.True((await workflow.ApproveAsync(first.Id, "First champion.", firstEvaluated.EvidenceSha256, manager2, [Roles.BusinessManager], default)).Succeeded);

        var managerPage = await SignedInAsync(DemoAccounts.Manager);
        await managerPage.GotoAsync("promotions");
        await new AppShell(managerPage).WaitUntilInteractiveAsync();
        var badge = managerPage.GetByTestId("inbox-badge");
        await Expect(badge).ToHaveCountAsync(0);

        // Act: the scientist registers the challenger and requests its promotion in the browser.
        var scientistPage = await SignedInAsync(DemoAccounts.Scientist);
        await scientistPage.GotoAsync($"models/{model}");
        await BlazorCircuit.WaitForInteractiveAsync(scientistPage, "[data-testid=register-version]");
        await scientistPage.GetByTestId("register-version").ClickAsync();
        await scientistPage.Locator(".mud-dialog").GetByText($"{model}-challenger").ClickAsync();
        await scientistPage.GetByTestId("version-save").ClickAsync();
        var secondRow = scientistPage.Locator("[data-testid=version-row][data-version='2']");
        await Expect(secondRow).ToBeVisibleAsync();
        await secondRow.GetByTestId("request-promotion").ClickAsync();
        const string justification = "Knows the contract type, which the champion never saw.";
        await MudControls.Input(scientistPage, "promotion-justification").FillAsync(justification);
        await scientistPage.GetByTestId("promotion-save").ClickAsync();

        // Assert: the manager's badge rises once the worker has frozen the evidence, without a reload.
        await Expect(badge).ToHaveTextAsync("1", Slow);
        await managerPage.GetByTestId("inbox-request-link").First.ClickAsync();
        await Expect(managerPage.GetByTestId("evidence-hash")).ToBeVisibleAsync(SlowVisible);
        var hash = System.Text.RegularExpressions.Regex.Match(await managerPage.GetByTestId("evidence-hash").InnerTextAsync(), "[0-9a-f]{64}").Value;
        Assert.Equal(64, hash.Length);
        await Expect(managerPage.GetByTestId("evidence-sentence")).ToContainTextAsync("The challenger is better by");
        await Expect(managerPage.GetByTestId("gate-row-Quality")).ToHaveAttributeAsync("data-verdict", "Passed");
        await Expect(managerPage.GetByTestId("gate-row-Schema")).ToHaveAttributeAsync("data-verdict", "Warning");
        await Expect(managerPage.GetByTestId("gate-row-Schema")).ToContainTextAsync("contract");
        var requestUrl = managerPage.Url;
        await managerPage.GetByTestId("approve").ClickAsync();
        await managerPage.GetByTestId("decision-submit").ClickAsync();
        await Expect(managerPage.GetByTestId("promotion-status")).ToContainTextAsync("Approved", SlowContains);
        await Expect(badge).ToHaveCountAsync(0);

        // The champion changed; the history says who, when, why, on which evidence.
        await scientistPage.GotoAsync($"models/{model}");
        try
        {
            await Expect(scientistPage.GetByTestId("champion-card")).ToContainTextAsync("Version 2 · in Production since");
        }
        catch (PlaywrightException ex)
        {
            throw new InvalidOperationException($"{scientistPage.Url}: {await scientistPage.Locator("main").InnerTextAsync()}", ex);
        }

        var latest = scientistPage.GetByTestId("history-entry").First;
        await Expect(latest.GetByTestId("history-approved-by")).ToContainTextAsync("Morgan Manager");
        await Expect(latest.GetByTestId("history-reason")).ToContainTextAsync(justification);
        await Expect(latest.GetByTestId("history-evidence")).ToContainTextAsync(hash[..12]);

        // The scientist's own approval through the API (their browser session) is refused and the attempt audited.
        var requestId = requestUrl[(requestUrl.LastIndexOf('/') + 1)..];
        var attempt = await scientistPage.APIRequest.PostAsync($"api/promotions/{requestId}/approve", new()
        {
            DataObject = new { comment = "I approve my own model", evidenceHash = hash },
            Headers = new Dictionary<string, string> { ["Origin"] = Fixture.App.BaseAddress.GetLeftPart(UriPartial.Authority) },
        });
        Assert.Equal(403, attempt.Status);
        Assert.Contains(await Steps.AuditAsync(AuditActions.PromotionApprovalRefused.Name, requestId), d => d.Contains("RoleRequired", StringComparison.Ordinal));

        // A challenger without support_calls is blocked as breaking; one trained on personal data waits for the DPO.
        Assert.True((await registry.RegisterVersionAsync(model, breakingRun, scientist, default)).Succeeded);
        Assert.True((await registry.RegisterVersionAsync(model, personalRun, scientist, default)).Succeeded);
        var breaking = (await workflow.RequestAsync(new RequestPromotion(model, 3, ModelStage.Production, "Needs no call records."), scientist,
            [Roles.DataScientist], default)).Value!;
        var onPersonalData = (await workflow.RequestAsync(new RequestPromotion(model, 4, ModelStage.Staging, "Trained with the contact list."), scientist,
            [Roles.DataScientist], default)).Value!;
        await scientistPage.GotoAsync($"promotions/{breaking.Id}");
        await Expect(scientistPage.GetByTestId("promotion-status")).ToContainTextAsync("Blocked", SlowContains);
        await Expect(scientistPage.GetByTestId("gate-row-Schema")).ToHaveAttributeAsync("data-verdict", "Failed");
        await Expect(scientistPage.GetByTestId("gate-row-Schema")).ToContainTextAsync("Breaking change");
        await Expect(scientistPage.GetByTestId("gate-row-Schema")).ToContainTextAsync("support_calls");

        await managerPage.GotoAsync($"promotions/{onPersonalData.Id}");
        await Expect(managerPage.GetByTestId("gate-row-DataProtection")).ToHaveAttributeAsync("data-verdict", "Waiting", new() { Timeout = 120_000 });
        await Expect(managerPage.GetByTestId("gate-row-DataProtection")).ToContainTextAsync(ChurnCsvBuilder.PersonalDataColumn);
        await Expect(managerPage.GetByTestId("approval-refusal")).ToContainTextAsync("data protection officer must sign off");
        var dpoPage = await SignedInAsync(DemoAccounts.DataProtectionOfficer);
        await dpoPage.GotoAsync($"promotions/{onPersonalData.Id}");
        await Expect(dpoPage.GetByTestId("sign-off")).ToBeVisibleAsync();

        // The audit chain is intact and holds the evidence hash the manager approved on.
        Assert.True((await Services.GetRequiredService<AuditTrail>().VerifyAsync()).Intact);
        Assert.Contains(await Steps.AuditAsync(AuditActions.PromotionApproved.Name, requestId), d => d.Contains(hash, StringComparison.Ordinal));
        Assert.Contains(await Steps.AuditAsync(AuditActions.PromotionEvaluated.Name, requestId), d => d.Contains(hash, StringComparison.Ordinal));
    }

    private static byte[] Drop(byte[] csv, params string[] columns)
    {
        var lines = Encoding.UTF8.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var keep = Enumerable.Range(0, header.Length).Where(i => !columns.Contains(header[i])).ToHashSet();
        return Encoding.UTF8.GetBytes(string.Join('\n', lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => keep.Contains(i))))) + "\n");
    }
}
