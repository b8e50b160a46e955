using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Registry;
using Portal.Domain.Security;
using Portal.EndToEnd.Tests.Infrastructure;
using Portal.EndToEnd.Tests.Pages;
using Portal.EndToEnd.Tests.TestData;
using DatasetService = Portal.Web.Features.Datasets.DatasetService;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// The data protection officer in a real browser: classifies a personal column with its purpose, legal basis and retention
/// (saved, still there after a reload), then finds in the workspace's personal-data map the model trained on that data.
/// </summary>
public sealed class DataProtectionJourneyTests(TrainingBrowserFixture fixture) : BrowserTest(fixture), IClassFixture<TrainingBrowserFixture>
{
    private GovernanceSteps Steps => new(Fixture.App.Services);

    [Fact]
    public async Task TheDpoRecordsALegalBasisInTheBrowserAndFindsTheModelTrainedOnPersonalDataInTheMap()
    {
        // Arrange: a scientist's churn data with an e-mail column nobody has classified, a model trained on it and registered.
        var scientist = await Steps.ActorAsync(DemoAccounts.Scientist);
        var name = $"dpo-churn-{Guid.NewGuid():N}"[..18];
        using var content = new MemoryStream(new ChurnCsvBuilder().WithRows(800).WithSeed(13).Build());
        var uploaded = await Fixture.App.Services.GetRequiredService<DatasetService>().UploadAsync(name, $"{name}.csv", content, scientist, default);
        Assert.True(uploaded.Succeeded, uploaded.Error);
        var dataset = uploaded.Value!;
        var run = await Steps.TrainAsync(name, dataset, scientist);
        await Steps.WaitForRunsAsync(run);
        var registry = Fixture.App.Services.GetRequiredService<ModelRegistry>();
        Assert.True((await registry.CreateAsync(new CreateModel(name, "Which customers leave."), scientist, [Roles.DataScientist], default)).Succeeded);
        Assert.True((await registry.RegisterVersionAsync(name, run, scientist, default)).Succeeded);

        var page = await SignedInAsync(DemoAccounts.DataProtectionOfficer);
        var datasetPage = await new DatasetPage(page).GotoAsync($"datasets/{dataset.DatasetId}?version=1");

        // Act: the DPO records the e-mail column's purpose, legal basis and retention with the keyboard's Enter.
        var dialog = await datasetPage.EditProtectionAsync(ChurnCsvBuilder.PersonalDataColumn);
        await dialog.ChooseCategoryAsync("Personal");
        await dialog.FillPurposeAsync("To contact customers about their contract");
        await dialog.ChooseLegalBasisAsync("Contract (Art. 6(1)(b))");
        await dialog.FillRetentionAsync(365);
        await dialog.SaveAsync();

        // Assert: the row shows it, and so does the page read again from the server.
        await Expect(datasetPage.ProtectionOf(ChurnCsvBuilder.PersonalDataColumn)).ToContainTextAsync("Contract (Art. 6(1)(b))");
        await datasetPage.GotoAsync($"datasets/{dataset.DatasetId}?version=1");
        var saved = datasetPage.ProtectionOf(ChurnCsvBuilder.PersonalDataColumn);
        await Expect(saved).ToContainTextAsync("Contract (Art. 6(1)(b))");
        await Expect(saved).ToContainTextAsync("kept 365 days");
        await Expect(saved).ToContainTextAsync("To contact customers about their contract");
        await Expect(datasetPage.ColumnRow(ChurnCsvBuilder.PersonalDataColumn)).ToContainTextAsync($"by {DemoAccounts.DataProtectionOfficer}");

        // Act: the workspace's personal-data map.
        var workspace = await new DpoWorkspacePage(page).GotoAsync();
        await workspace.MapTab.ClickAsync();

        // Assert: the dataset version with its personal column, and the model version trained on it.
        var entry = workspace.Entry(name, 1);
        await Expect(entry).ToBeVisibleAsync();
        await Expect(entry).ToContainTextAsync(ChurnCsvBuilder.PersonalDataColumn);
        await Expect(workspace.ModelIn(entry, name)).ToContainTextAsync($"{name} v1");
    }
}
