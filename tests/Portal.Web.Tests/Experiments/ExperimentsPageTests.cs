using System.Net.Http.Json;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Identity;
using Portal.Domain.Security;
using Portal.Web.Features.Experiments;
using Portal.Web.Features.Runs.Queries;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Experiments;

/// <summary>
/// The experiments page, rendered with bUnit over the real <see cref="ExperimentService"/> and database of a running
/// app: what each experiment is about, whose it is, how its runs stand; its owner words it, others only read it.
/// </summary>
public sealed class ExperimentsPageTests : ComponentTestContext, IClassFixture<PortalAppFactory>
{
    private readonly PortalAppFactory factory;

    public ExperimentsPageTests(PortalAppFactory factory)
    {
        this.factory = factory;
        Services.AddSingleton(factory.Services.GetRequiredService<ExperimentService>());
        Services.AddSingleton(factory.Services.GetRequiredService<RunQueries>());
    }

    [Fact]
    public async Task ListsEachExperimentWithItsOwnerDescriptionAndRunsAndLinksToItsRuns()
    {
        var tag = Tag();
        var described = await CreateAsync(DemoAccounts.Scientist, $"{tag}-churn", "Who leaves within 90 days?");
        var bare = await CreateAsync("scientist2@portal.local", $"{tag}-bare", "");
        await StartRunAsync($"{tag}-churn");
        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);

        var cut = RenderPage<ExperimentsPage>();
        Search(cut, tag);

        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count), TimeSpan.FromSeconds(5));
        var churn = Row(cut, $"{tag}-churn");
        Assert.Contains("Who leaves within 90 days?", churn.TextContent);
        Assert.Contains(DemoAccounts.Scientist, churn.TextContent);
        Assert.Contains("1 active", churn.QuerySelector("[data-testid=experiment-runs]")!.TextContent);
        Assert.Equal($"runs?experiment={described}", churn.QuerySelector("[data-testid=experiment-link]")!.GetAttribute("href"));
        Assert.Contains("No description yet.", Row(cut, $"{tag}-bare").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=edit-experiment]")); // a manager owns none and words none
        Assert.Empty(cut.FindAll("[data-testid=new-experiment]"));
        Assert.NotEqual(described, bare);
    }

    [Fact]
    public async Task OwnerRewordsTheirOwnExperimentInADialogAndSeesTheNewWords()
    {
        var tag = Tag();
        await CreateAsync(DemoAccounts.Scientist, $"{tag}-mine", "old words");
        await CreateAsync("scientist2@portal.local", $"{tag}-theirs", "their words");
        await SignInAsync(DemoAccounts.Scientist, Roles.DataScientist);

        var cut = RenderPage<ExperimentsPage>();
        Search(cut, tag);
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count), TimeSpan.FromSeconds(5));

        Assert.Null(Row(cut, $"{tag}-theirs").QuerySelector("[data-testid=edit-experiment]"));
        await cut.InvokeAsync(() => Row(cut, $"{tag}-mine").QuerySelector("[data-testid=edit-experiment]")!.Click());
        cut.WaitForElement("textarea[data-testid=experiment-description]").Input("new words, for the retention budget");
        await cut.InvokeAsync(() => cut.Find("[data-testid=experiment-save]").Click());

        cut.WaitForAssertion(() => Assert.Contains("new words, for the retention budget", Row(cut, $"{tag}-mine").TextContent), TimeSpan.FromSeconds(5));
        Assert.Contains("their words", Row(cut, $"{tag}-theirs").TextContent);
    }

    [Fact]
    public async Task ScientistCreatesAnExperimentAndATakenNameIsRefusedInTheDialog()
    {
        var tag = Tag();
        await CreateAsync("scientist2@portal.local", $"{tag}-taken", "");
        await SignInAsync(DemoAccounts.Scientist, Roles.DataScientist);
        var cut = RenderPage<ExperimentsPage>();
        Search(cut, tag);
        cut.WaitForAssertion(() => Assert.Single(Rows(cut)), TimeSpan.FromSeconds(5));

        await CreateInDialogAsync(cut, $"{tag}-taken", "again");
        cut.WaitForAssertion(() => Assert.Contains("exists already", cut.Find("[data-testid=dialog-error]").TextContent), TimeSpan.FromSeconds(5));
        cut.Find("input[data-testid=experiment-name]").Change($"{tag}-fresh");
        await cut.InvokeAsync(() => cut.Find("[data-testid=experiment-save]").Click());

        cut.WaitForAssertion(() => Assert.Contains("a fresh question", Row(cut, $"{tag}-fresh").TextContent), TimeSpan.FromSeconds(5));
        Assert.Empty(cut.FindAll("[data-testid=dialog-error]"));
    }

    [Fact]
    public async Task AnExperimentsLinkOpensItsRunsWithWhatItIsAboutAndANewRunInIt()
    {
        var tag = Tag();
        var id = await CreateAsync(DemoAccounts.Scientist, $"{tag}-loans", "Who defaults within a year?");
        await StartRunAsync($"{tag}-loans");
        await StartRunAsync($"{tag}-loans");
        await StartRunAsync($"{tag}-other");
        await SignInAsync(DemoAccounts.Scientist, Roles.DataScientist);

        Services.GetRequiredService<NavigationManager>().NavigateTo($"runs?experiment={id}");
        var cut = RenderPage<RunsPage>();

        cut.WaitForAssertion(() => Assert.Contains("2 runs", cut.Find("[data-testid=experiment-summary]").TextContent), TimeSpan.FromSeconds(5));
        Assert.Contains("Who defaults within a year?", cut.Find("[data-testid=experiment-summary]").TextContent);
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=runs-table] tbody tr td[data-label=Experiment]").Count), TimeSpan.FromSeconds(5));
        Assert.All(cut.FindAll("[data-testid=runs-table] tbody tr td[data-label=Experiment]"), td => Assert.Equal($"{tag}-loans", td.TextContent));
        Assert.All(cut.FindAll("[data-testid=runs-table] tbody tr td[data-label=Experiment] a"), a => Assert.Equal($"runs?experiment={id}", a.GetAttribute("href")));
        Assert.Equal($"runs/new?experiment={tag}-loans", cut.Find("[data-testid=new-run]").GetAttribute("href"));

        // Back to all runs (the filter cleared, or the browser's back button): the summary goes, other experiments' runs return.
        await cut.InvokeAsync(() => Services.GetRequiredService<NavigationManager>().NavigateTo("runs"));
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("[data-testid=runs-table] tbody tr td[data-label=Experiment]"), td => td.TextContent == $"{tag}-other"), TimeSpan.FromSeconds(5));
        Assert.Empty(cut.FindAll("[data-testid=experiment-summary]"));
    }

    /// <summary>A narrower search from page 2 must not end on an empty page 2 ("no match") while matches exist.</summary>
    [Fact]
    public async Task ASearchFromALaterPageShowsItsMatchesFromTheFirstPage()
    {
        var tag = Tag();
        for (var i = 0; i < 27; i++)
        {
            await CreateAsync(DemoAccounts.Scientist, $"{tag}-{i:00}", "");
        }

        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);
        var cut = RenderPage<ExperimentsPage>();
        Search(cut, tag);
        cut.WaitForAssertion(() => Assert.Equal(25, Rows(cut).Count), TimeSpan.FromSeconds(5));
        await cut.InvokeAsync(() => cut.Find("button[aria-label='Next page']").Click());
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count), TimeSpan.FromSeconds(5));

        Search(cut, $"{tag}-07");

        cut.WaitForAssertion(() => Assert.Equal([$"{tag}-07"], Rows(cut).Select(r => r.QuerySelector("[data-testid=experiment-link]")!.TextContent)), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ASearchThatMatchesNothingSaysSo()
    {
        await SignInAsync(DemoAccounts.Manager, Roles.BusinessManager);
        var cut = RenderPage<ExperimentsPage>();

        Search(cut, "no-such-experiment-anywhere");

        cut.WaitForAssertion(() => Assert.Contains("No experiment matches “no-such-experiment-anywhere”", cut.Find("[data-testid=experiments-empty]").TextContent), TimeSpan.FromSeconds(5));
    }

    private static string Tag() => $"exp{Guid.NewGuid():N}"[..11];

    private static void Search(IRenderedComponent<PageHost> cut, string text) =>
        cut.WaitForElement("input[aria-label='Search experiments']").Input(text);

    private static async Task CreateInDialogAsync(IRenderedComponent<PageHost> cut, string name, string description)
    {
        await cut.InvokeAsync(() => cut.Find("[data-testid=new-experiment]").Click());
        cut.WaitForElement("input[data-testid=experiment-name]").Change(name);
        cut.Find("textarea[data-testid=experiment-description]").Input($"a fresh question: {description}");
        await cut.InvokeAsync(() => cut.Find("[data-testid=experiment-save]").Click());
    }

    private static List<AngleSharp.Dom.IElement> Rows(IRenderedComponent<PageHost> cut) =>
        [.. cut.FindAll("[data-testid=experiments-table] tbody tr").Where(tr => tr.QuerySelector("[data-testid=experiment-link]") is not null)];

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<PageHost> cut, string name) =>
        Rows(cut).Single(tr => tr.QuerySelector("[data-testid=experiment-link]")!.TextContent == name);

    private async Task SignInAsync(string email, string role)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
        var authorization = SignInAs(user!.Id, email, role);
        authorization.SetPolicies([.. AuthorizationMatrix.Capabilities.Where(c => c.Roles.Contains(role)).Select(c => c.Name)]);
    }

    private async Task<Guid> CreateAsync(string owner, string name, string description)
    {
        var client = await ClientAsync(owner);
        var response = await client.PostAsJsonAsync("/api/experiments", new { name, description });
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    private async Task StartRunAsync(string experiment)
    {
        var client = await ClientAsync(DemoAccounts.Scientist);
        (await client.PostAsJsonAsync("/api/runs", new { experiment, mode = "external", task = "binary", trainer = "LightGbm" })).EnsureSuccessStatusCode();
    }

    private async Task<HttpClient> ClientAsync(string email) =>
        TokenFactory.ClientWith(factory, (await TokenFactory.CreateAsync(factory.Services, email, ApiScopes.Read, ApiScopes.Write)).Token);
}
