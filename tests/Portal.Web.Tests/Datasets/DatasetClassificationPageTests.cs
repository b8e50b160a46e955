using System.Net;
using System.Net.Http.Json;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Application.Datasets;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Datasets;
using Portal.Domain.Security;
using Portal.Web.Features.Datasets;
using Portal.Web.Features.Runs.Queries;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Datasets;

/// <summary>
/// The dataset page over the real services of a running app: the DPO classifies each column in place (a select and a
/// sensitive switch, saved per change) and confirms the suggestions after seeing what they set; everyone else reads the
/// classification with who made it and when.
/// </summary>
public sealed class DatasetClassificationPageTests : ComponentTestContext, IClassFixture<PortalAppFactory>
{
    private const string People = """
        email,age,gender,plan
        ann@example.com,34,f,basic
        bob@example.org,45,m,premium
        cy@example.net,23,f,basic
        """;

    private readonly PortalAppFactory factory;

    public DatasetClassificationPageTests(PortalAppFactory factory)
    {
        this.factory = factory;
        Services.AddSingleton(factory.Services.GetRequiredService<DatasetService>());
        Services.AddSingleton(factory.Services.GetRequiredService<ColumnClassification>());
        Services.AddSingleton(factory.Services.GetRequiredService<RunQueries>());
    }

    [Fact]
    public async Task TheDpoSeesASelectAndASwitchPerColumnAndAChangeIsSavedAtOnce()
    {
        var id = await UploadAsync();
        await SignInAsync(DemoAccounts.Dpo, Roles.DataProtectionOfficer);

        var cut = RenderPage<DatasetPage>(("DatasetId", id));
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=classification-select]").Count), TimeSpan.FromSeconds(5));
        Assert.Equal(4, cut.FindAll("[data-testid=sensitive-switch]").Count);
        Assert.NotNull(cut.Find("[data-testid=confirm-suggestions]"));
        Assert.DoesNotContain("lineage workspace", cut.Markup);

        await ChooseAsync(cut, "age", DataClassification.NotPersonal);
        cut.WaitForAssertion(() => Assert.Contains($"by {DemoAccounts.Dpo}", Row(cut, "age").TextContent));
        // Now classified, its sensitive switch is usable (a keyboard's Space toggles the checkbox input): age is a fairness group.
        cut.WaitForAssertion(() => Assert.False(Switch(cut, "age").HasAttribute("disabled")));
        Switch(cut, "age").Change(true);

        cut.WaitForAssertion(async () =>
        {
            var age = await ColumnAsync(id, "age");
            Assert.Equal(DataClassification.NotPersonal, age.Classification);
            Assert.True(age.Sensitive);
            Assert.Equal(DemoAccounts.Dpo, age.ClassifiedByName);
        }, TimeSpan.FromSeconds(5));
        cut.WaitForAssertion(() => Assert.Contains("age: Not personal, sensitive.", Snackbars()));
        Assert.Contains($"by {DemoAccounts.Dpo}", Row(cut, "age").TextContent);
    }

    [Fact]
    public async Task ConfirmingSuggestionsShowsWhatItSetsAndThenSetsIt()
    {
        var id = await UploadAsync();
        await SignInAsync(DemoAccounts.Dpo, Roles.DataProtectionOfficer);
        var cut = RenderPage<DatasetPage>(("DatasetId", id));
        await ChooseAsync(cut, "gender", DataClassification.SpecialCategory);
        cut.WaitForAssertion(() => Assert.Contains($"by {DemoAccounts.Dpo}", Row(cut, "gender").TextContent));

        await cut.InvokeAsync(() => cut.Find("[data-testid=confirm-suggestions]").Click());
        var plan = cut.WaitForElement("[data-testid=suggestions-plan]");

        var rows = plan.QuerySelectorAll("tbody tr").Select(r => r.TextContent.Trim().Replace("\n", " ")).ToList();
        Assert.Equal(3, rows.Count); // gender is classified already and keeps the DPO's decision
        Assert.Contains(rows, r => r.Contains("email") && r.Contains("Personal") && !r.Contains("Not personal"));
        Assert.Contains(rows, r => r.Contains("plan") && r.Contains("Not personal"));
        Assert.Equal(DataClassification.Unclassified, (await ColumnAsync(id, "email")).Classification); // nothing yet

        await cut.InvokeAsync(() => cut.Find("[data-testid=confirm-suggestions-yes]").Click());

        cut.WaitForAssertion(async () =>
        {
            Assert.Equal(DataClassification.Personal, (await ColumnAsync(id, "email")).Classification);
            Assert.Equal(DataClassification.NotPersonal, (await ColumnAsync(id, "plan")).Classification);
            Assert.Equal(DataClassification.SpecialCategory, (await ColumnAsync(id, "gender")).Classification);
        }, TimeSpan.FromSeconds(5));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=confirm-suggestions]")));
    }

    [Fact]
    public async Task CancellingTheConfirmationClassifiesNothing()
    {
        var id = await UploadAsync();
        await SignInAsync(DemoAccounts.Dpo, Roles.DataProtectionOfficer);
        var cut = RenderPage<DatasetPage>(("DatasetId", id));

        await cut.InvokeAsync(() => cut.WaitForElement("[data-testid=confirm-suggestions]").Click());
        cut.WaitForElement("[data-testid=suggestions-plan]");
        await cut.InvokeAsync(() => cut.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Cancel").Click());

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=suggestions-plan]")));
        Assert.All(await ColumnsAsync(id), c => Assert.Equal(DataClassification.Unclassified, c.Classification));
    }

    [Theory]
    [InlineData(DemoAccounts.Scientist, Roles.DataScientist)]
    [InlineData(DemoAccounts.Manager, Roles.BusinessManager)]
    public async Task OthersReadTheClassificationWithWhoAndWhenButCannotChangeIt(string email, string role)
    {
        var id = await UploadAsync();
        var dpo = TokenFactory.ClientWith(factory, (await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Dpo, ApiScopes.Read, ApiScopes.Write)).Token);
        var put = await dpo.PutAsJsonAsync($"/api/datasets/{id}/versions/1/columns/gender/classification", new { classification = "SpecialCategory" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await SignInAsync(email, role);

        var cut = RenderPage<DatasetPage>(("DatasetId", id));
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=classification-readonly]").Count), TimeSpan.FromSeconds(5));

        Assert.Empty(cut.FindAll("[data-testid=classification-select]"));
        Assert.Empty(cut.FindAll("[data-testid=sensitive-switch]"));
        Assert.Empty(cut.FindAll("[data-testid=confirm-suggestions]"));
        var gender = Row(cut, "gender");
        Assert.Contains("Special category", gender.TextContent);
        Assert.Contains("sensitive", gender.TextContent);
        Assert.Contains($"by {DemoAccounts.Dpo}", gender.TextContent);
        Assert.Contains("Unclassified", Row(cut, "plan").TextContent);
        Assert.Contains("looks like personal data: not reviewed yet", Row(cut, "email").TextContent);
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<PageHost> cut, string column) =>
        cut.FindAll("[data-testid=columns-table] tbody tr").Single(tr => tr.QuerySelector("td strong")?.TextContent == column);

    private static IRenderedComponent<MudSelect<DataClassification>> Select(IRenderedComponent<PageHost> cut, string column) =>
        cut.FindComponents<MudSelect<DataClassification>>().Single(s => s.Instance.Label == $"Classification of {column}");

    private static AngleSharp.Dom.IElement Switch(IRenderedComponent<PageHost> cut, string column) =>
        Row(cut, column).QuerySelector("[data-testid=sensitive-switch] input[type=checkbox]")
        ?? Row(cut, column).QuerySelector("input[type=checkbox]")!;

    /// <summary>Picks an option of a column's select as the user's choice reaches it (the select's ValueChanged).</summary>
    private static async Task ChooseAsync(IRenderedComponent<PageHost> cut, string column, DataClassification value)
    {
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=classification-select]")), TimeSpan.FromSeconds(5));
        var select = Select(cut, column);
        await cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));
    }

    private string Snackbars() => string.Join(" | ", Services.GetRequiredService<ISnackbar>().ShownSnackbars.Select(s => s.Message));

    private async Task<Guid> UploadAsync()
    {
        var scientist = TokenFactory.ClientWith(factory, (await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write)).Token);
        var response = await scientist.UploadCsvAsync($"page-people-{Guid.NewGuid():N}", People);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("datasetId").GetGuid();
    }

    private async Task<List<DatasetColumn>> ColumnsAsync(Guid id)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var datasetId = new DatasetId(id);
        return await db.DatasetColumns.AsNoTracking()
            .Where(c => db.DatasetVersions.Any(v => v.Id == c.DatasetVersionId && v.DatasetId == datasetId)).ToListAsync();
    }

    private async Task<DatasetColumn> ColumnAsync(Guid id, string name) => (await ColumnsAsync(id)).Single(c => c.Name == name);

    private async Task SignInAsync(string email, string role)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
        var authorization = SignInAs(user!.Id, email, role);
        authorization.SetPolicies([.. AuthorizationMatrix.Capabilities.Where(c => c.Roles.Contains(role)).Select(c => c.Name)]);
    }
}
