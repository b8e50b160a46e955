using Portal.EndToEnd.Tests.Infrastructure;
using Portal.EndToEnd.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests;

/// <summary>A data scientist sets up an experiment in the browser, says what it is about, and starts a run in it.</summary>
public sealed class ExperimentsJourneyTests(PortalBrowserFixture fixture) : BrowserTest(fixture), IClassFixture<PortalBrowserFixture>
{
    [Fact]
    public async Task ScientistCreatesADescribedExperimentOpensItsRunsAndStartsANewRunInIt()
    {
        // Arrange
        var page = await OpenPageAsync();
        var login = await new LoginPage(page).GotoAsync();
        await login.SignInAsync(DemoAccounts.Scientist, DemoAccounts.Password);
        var experiments = await new ExperimentsPage(page).GotoAsync();
        // Characters an address gives meaning to: the links and the new-run form must carry the name intact.
        var name = $"churn & co #{Guid.NewGuid():N}"[..20] + "/50%?";

        // Act
        await experiments.CreateAsync(name, "Which customers leave within 90 days? Feeds the retention budget.");

        // Assert
        await Expect(experiments.Row(name)).ToContainTextAsync("Feeds the retention budget.");
        await Expect(experiments.Row(name)).ToContainTextAsync(DemoAccounts.Scientist);

        // Act
        await experiments.OpenRunsOfAsync(name);

        // Assert
        await Expect(page.GetByTestId("experiment-summary")).ToContainTextAsync($"{name} · owned by {DemoAccounts.Scientist} · 0 runs");
        await Expect(page.GetByTestId("runs-empty")).ToBeVisibleAsync();

        // Act
        await page.GetByTestId("new-run").ClickAsync();

        // Assert
        await Expect(MudControls.Input(page, "run-experiment")).ToHaveValueAsync(name);
        await Expect(page.GetByText($"Adds the run to {name} ({DemoAccounts.Scientist}, 0 runs so far)")).ToBeVisibleAsync();

        // Act: a name no experiment has
        await MudControls.FillAsync(page, "run-experiment", $"{name}-new");

        // Assert
        await Expect(page.GetByText("New experiment: created with this run, owned by you")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ScientistCreatesAnExperimentWithTheKeyboardOnlyAndEscapeLeavesWithoutSaving()
    {
        // Arrange
        var page = await OpenPageAsync();
        var login = await new LoginPage(page).GotoAsync();
        await login.SignInAsync(DemoAccounts.Scientist, DemoAccounts.Password);
        var experiments = await new ExperimentsPage(page).GotoAsync();
        var name = $"keys-{Guid.NewGuid():N}"[..15];
        var nameField = MudControls.Input(page, "experiment-name");
        var descriptionField = MudControls.Input(page, "experiment-description");

        // Act: open the dialog from the keyboard; focus starts in the first field, Tab goes on to the next
        await page.GetByTestId("new-experiment").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(nameField).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(name);
        await page.Keyboard.PressAsync("Tab");
        await Expect(descriptionField).ToBeFocusedAsync();
        // Enter in the multi-line description is a new line, not a submit
        await page.Keyboard.TypeAsync("First line.");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("Second line.");

        // Assert
        await Expect(descriptionField).ToHaveValueAsync("First line.\nSecond line.");
        await Expect(page.Locator(".mud-dialog")).ToBeVisibleAsync();

        // Act: back to the name, Enter submits
        await page.Keyboard.PressAsync("Shift+Tab");
        await Expect(nameField).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        // Assert
        await Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        await Expect(experiments.Row(name)).ToContainTextAsync("Second line.");

        // Act: a second experiment typed, then Escape
        var abandoned = $"{name}-not";
        await page.GetByTestId("new-experiment").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(nameField).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(abandoned);
        await page.Keyboard.PressAsync("Escape");

        // Assert: closed, nothing saved (a reload shows the list as the database has it)
        await Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        await experiments.GotoAsync();
        await Expect(experiments.Row(name)).ToBeVisibleAsync();
        await Expect(experiments.Row(abandoned)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ATakenNameIsRefusedInTheDialogWithTheReason()
    {
        // Arrange
        var page = await OpenPageAsync();
        var login = await new LoginPage(page).GotoAsync();
        await login.SignInAsync(DemoAccounts.Scientist, DemoAccounts.Password);
        var experiments = await new ExperimentsPage(page).GotoAsync();
        var name = $"fraud-{Guid.NewGuid():N}"[..14];
        await experiments.CreateAsync(name, "first");
        await Expect(experiments.Row(name)).ToBeVisibleAsync();

        // Act
        await experiments.CreateAsync(name, "second");

        // Assert
        await Expect(experiments.DialogError).ToContainTextAsync("exists already");
    }
}
