using System.Text;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using Portal.Application.Runs;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Web.Features.Datasets;
using Portal.Web.Features.Experiments;
using Portal.Web.Features.Runs.Submission;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Runs.Submission;

/// <summary>The new-run form over the real services: the task follows the label, nothing is changed behind the user's back, errors come and go with the fields.</summary>
public sealed class NewRunPageTests : ComponentTestContext, IClassFixture<GatedSavesAppFactory>
{
    // species has three classes, churned two, spend is a quantity; the last column (churned) is the default label.
    private const string Flowers = "petal,spend,species,churned\n" +
        "1.4,20.5,setosa,no\n4.7,99.9,versicolor,yes\n5.9,15.25,virginica,no\n1.3,33.1,setosa,yes\n4.5,47.3,versicolor,no\n" +
        "6.0,12.7,virginica,no\n1.5,80.2,setosa,yes\n4.9,61.4,versicolor,no\n5.1,29.9,virginica,yes\n1.7,55.5,setosa,no\n" +
        "4.1,71.7,versicolor,no\n5.8,66.6,virginica,yes\n";

    private const string WithoutSpecies = "petal,spend,outcome\n1.4,20.5,a\n4.7,99.9,b\n5.9,15.25,a\n1.3,33.1,b\n";

    private readonly GatedSavesAppFactory factory;

    public NewRunPageTests(GatedSavesAppFactory factory)
    {
        this.factory = factory;
        Services.AddSingleton(factory.Services.GetRequiredService<RunSubmission>());
        Services.AddSingleton(factory.Services.GetRequiredService<ExperimentService>());
        Services.AddSingleton(factory.Services.GetRequiredService<DatasetService>());
    }

    [Fact]
    public async Task AThreeClassLabelSuggestsMulticlassANumericQuantityRegressionAndTheUserMayStillChangeIt()
    {
        var flowers = await UploadAsync("flowers", Flowers);
        var cut = await OpenFormAsync();

        await ChooseAsync<Guid?>(cut, "run-dataset", flowers.DatasetId.Value);
        cut.WaitForAssertion(() => Assert.Equal(MlTask.Binary, Task(cut))); // churned: yes/no

        await ChooseAsync<string>(cut, "run-label", "species");
        cut.WaitForAssertion(() => Assert.Equal(MlTask.Multiclass, Task(cut)));
        Assert.Contains("Suggested: species has 3 distinct values", cut.Markup);
        Assert.Equal(TrainerCatalog(MlTask.Multiclass), Trainer(cut));

        await ChooseAsync<string>(cut, "run-label", "spend");
        cut.WaitForAssertion(() => Assert.Equal(MlTask.Regression, Task(cut)));

        await ChooseAsync(cut, "run-task", MlTask.Multiclass); // the user's word is final
        cut.WaitForAssertion(() => Assert.Equal(MlTask.Multiclass, Task(cut)));
        Assert.DoesNotContain("Suggested:", cut.Markup);
    }

    [Fact]
    public async Task SwitchingDatasetKeepsALabelTheNewOneHasAndClearsOneItLacksSayingSo()
    {
        var first = await UploadAsync("flowers", Flowers);
        var same = await UploadAsync("flowers-again", Flowers.Replace("1.4,20.5", "1.45,20.5"));
        var other = await UploadAsync("no-species", WithoutSpecies);
        var cut = await OpenFormAsync();
        await ChooseAsync<Guid?>(cut, "run-dataset", first.DatasetId.Value);
        await ChooseAsync<string>(cut, "run-label", "species");

        await ChooseAsync<Guid?>(cut, "run-dataset", same.DatasetId.Value);
        cut.WaitForAssertion(() => Assert.Equal("species", Label(cut)));
        Assert.Equal(MlTask.Multiclass, Task(cut));

        await ChooseAsync<Guid?>(cut, "run-dataset", other.DatasetId.Value);
        cut.WaitForAssertion(() => Assert.Null(Label(cut)));
        Assert.Equal($"{other.Name} v1 has no column species: choose the label again.", cut.Find("[data-testid=label-note]").TextContent);
    }

    [Fact]
    public async Task AValidationFractionOutsideItsRangeIsRefusedWithTheRangeNotSilentlyChanged()
    {
        var flowers = await UploadAsync("flowers", Flowers);
        var experiment = $"exp-{Guid.NewGuid():N}"[..12];
        var cut = await OpenFormAsync();
        cut.Find("input[data-testid=run-experiment]").Change(experiment);
        await ChooseAsync<Guid?>(cut, "run-dataset", flowers.DatasetId.Value);

        cut.Find("input[data-testid=run-validation-fraction]").Change("0.99");
        cut.WaitForAssertion(() => Assert.Contains("validationFraction must be between 0.05 and 0.5", cut.Markup));
        await cut.InvokeAsync(() => cut.Find("[data-testid=submit-run]").Click());

        Assert.Equal(0.99, cut.FindComponents<MudNumericField<double>>().Single(f => f.Instance.Label == "Validation fraction").Instance.GetState(x => x.Value));
        Assert.Contains("validationFraction must be between 0.05 and 0.5", cut.Markup);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Experiments.AnyAsync(e => e.Name == experiment)); // nothing submitted
    }

    [Fact]
    public async Task ARefusalGoesOnceTheFieldItNamesIsFixed()
    {
        var flowers = await UploadAsync("flowers", Flowers);
        var cut = await OpenFormAsync();
        cut.Find("input[data-testid=run-experiment]").Change($"exp-{Guid.NewGuid():N}"[..12]);
        await ChooseAsync<Guid?>(cut, "run-dataset", flowers.DatasetId.Value);
        await ChooseAsync<string>(cut, "run-label", "species");
        await ChooseAsync(cut, "run-task", MlTask.Binary);
        await cut.InvokeAsync(() => cut.Find("[data-testid=submit-run]").Click());
        cut.WaitForAssertion(() => Assert.Contains("A binary task needs a label with exactly two values", cut.Find("[data-testid=submit-error]").TextContent));

        await ChooseAsync(cut, "run-task", MlTask.Multiclass);

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=submit-error]")));
    }

    [Fact]
    public async Task AfterASubmitEveryErrorGoesOnceItsFieldIsFixedEvenByAnotherChoice()
    {
        var flowers = await UploadAsync("flowers", Flowers);
        var cut = await OpenFormAsync();
        await cut.InvokeAsync(() => cut.Find("[data-testid=submit-run]").Click());
        cut.WaitForAssertion(() => Assert.Contains("Choose the column to predict.", cut.Markup));

        await ChooseAsync<Guid?>(cut, "run-dataset", flowers.DatasetId.Value); // fills the label too

        cut.WaitForAssertion(() => Assert.DoesNotContain("Choose the column to predict.", cut.Markup));
        Assert.DoesNotContain("Choose the dataset to train on.", cut.Markup);
        Assert.Contains("Name the experiment (created if new).", cut.Markup); // still true, still said
    }

    [Fact]
    public async Task NothingIsMarkedWrongWhenTheFormOpensOrFocusPassesThroughEmptyFields()
    {
        await UploadAsync("flowers", Flowers);
        var cut = await OpenFormAsync();

        cut.Find("input[data-testid=run-experiment]").Blur();

        Assert.Empty(cut.FindAll(".mud-input-error"));
        Assert.DoesNotContain("Name the experiment", cut.Markup);
    }

    [Fact]
    public async Task EnterStartsOneRunEvenWhenPressedTwiceWhileTheFirstIsStillSaving()
    {
        var flowers = await UploadAsync("flowers", Flowers);
        var experiment = $"kbd-{Guid.NewGuid():N}"[..14];
        string scientistId;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            scientistId = (await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(DemoAccounts.Scientist))!.Id;
        }

        // An existing experiment: a second submit would add a second run to it rather than trip over a new name.
        var owner = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.NameIdentifier, scientistId), new(System.Security.Claims.ClaimTypes.Name, DemoAccounts.Scientist)], "test"));
        var created = await factory.Services.GetRequiredService<ExperimentService>().CreateAsync(new CreateExperimentRequest(experiment, ""), owner, CancellationToken.None);
        Assert.True(created.Succeeded, created.Error);
        var cut = await OpenFormAsync();
        cut.Find("input[data-testid=run-experiment]").Change(experiment);
        await ChooseAsync<Guid?>(cut, "run-dataset", flowers.DatasetId.Value);
        var button = cut.Find("button[data-testid=submit-run]");
        Assert.Equal("submit", button.GetAttribute("type"));
        Assert.Equal(cut.Find("form").Id, button.GetAttribute("form")); // Enter in a field presses it, though it sits below the form

        // Two submit events, as two quick Enters in a field raise them; the second arrives while the first is saving.
        factory.Saves.Hold();
        var first = cut.Find("form").SubmitAsync();
        await factory.Saves.Reached.WaitAsync(TimeSpan.FromSeconds(30));
        var second = cut.Find("form").SubmitAsync();
        factory.Saves.Release();
        await System.Threading.Tasks.Task.WhenAll(first, second);

        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.Runs.CountAsync(r => db.Experiments.Any(e => e.Id == r.ExperimentId && e.Name == experiment)));
    }

    private static string TrainerCatalog(MlTask task) => Portal.Ml.Catalog.TrainerCatalog.ForTask(task).First().Name;

    private static MlTask Task(IRenderedComponent<PageHost> cut) => cut.FindComponents<MudSelect<MlTask>>().Single().Instance.GetState(x => x.Value);

    private static string? Trainer(IRenderedComponent<PageHost> cut) =>
        cut.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Trainer").Instance.GetState(x => x.Value);

    private static string? Label(IRenderedComponent<PageHost> cut) =>
        cut.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Label column").Instance.GetState(x => x.Value);

    /// <summary>Picks an option as MudSelect does when the user clicks it: sets the value, raises ValueChanged and validates.</summary>
    private static async Task ChooseAsync<T>(IRenderedComponent<PageHost> cut, string testId, T value)
    {
        var select = cut.FindComponents<MudSelect<T>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), testId));
        await cut.InvokeAsync(() => select.Instance.SelectOption(value));
    }

    private async Task<IRenderedComponent<PageHost>> OpenFormAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(DemoAccounts.Scientist);
        SignInAs(user!.Id, DemoAccounts.Scientist, Roles.DataScientist);
        var cut = RenderPage<NewRunPage>();
        cut.WaitForElement("[data-testid=submit-run]");
        return cut;
    }

    private async Task<DatasetVersionDto> UploadAsync(string prefix, string csv)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        var result = await factory.Services.GetRequiredService<DatasetService>().UploadAsync(name, "data.csv", new MemoryStream(Encoding.UTF8.GetBytes(csv)),
            AuditActor.User("test", DemoAccounts.Scientist), CancellationToken.None);
        return result.Value ?? throw new InvalidOperationException(result.Error);
    }
}
