using System.Net;
using System.Net.Http.Json;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Datasets;
using Portal.Data.Identity;
using Portal.Data.Live;
using Portal.Domain.Security;
using Portal.Web.Features.DataProtection;
using Portal.Web.Features.Datasets;
using Portal.Web.Features.Home;
using Portal.Web.Features.Registry;
using Portal.Web.Features.Runs.Queries;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.DataProtection;

/// <summary>
/// The DPO's pages over the real services of a running app: the dataset page highlights added and retyped columns and
/// says where a classification was carried from; the home page lists the columns to classify and follows new uploads
/// live; the workspace shows sign-offs, to-do, retention and the personal-data map.
/// </summary>
public sealed class DataProtectionPageTests : ComponentTestContext, IClassFixture<PortalAppFactory>
{
    private const string People = """
        email,age,plan
        ann@example.com,34,basic
        bob@example.org,45,premium
        cy@example.net,23,basic
        """;

    private readonly PortalAppFactory factory;

    public DataProtectionPageTests(PortalAppFactory factory)
    {
        this.factory = factory;
        Services.AddSingleton(factory.Services.GetRequiredService<DatasetService>());
        Services.AddSingleton(factory.Services.GetRequiredService<ColumnClassification>());
        Services.AddSingleton(factory.Services.GetRequiredService<RunQueries>());
        Services.AddSingleton(factory.Services.GetRequiredService<DataProtectionQueries>());
        Services.AddSingleton(factory.Services.GetRequiredService<RegistryQueries>());
        Services.AddSingleton(factory.Services.GetRequiredService<LiveEventBus>());
        Services.AddSingleton(factory.Services.GetRequiredService<Portal.Web.Features.Audit.AuditQueryService>());
        Services.AddSingleton(factory.Services.GetRequiredService<Portal.Web.Features.Monitoring.MonitoringQueries>());
        Services.AddSingleton(TimeProvider.System);
    }

    [Fact]
    public async Task TheDatasetPageHighlightsAddedAndRetypedColumnsAndSaysWhereAClassificationWasCarriedFrom()
    {
        var name = $"page-carry-{Guid.NewGuid():N}"[..20];
        var id = await UploadAsync(name, People);
        var dpo = await ApiAsync(DemoAccounts.Dpo);
        await dpo.PutAsJsonAsync($"/api/datasets/{id}/versions/1/columns/email/classification",
            new { classification = "Personal", protection = new { purpose = "billing", legalBasis = "Contract", retentionDays = 90 } });
        await UploadAsync(name, "email,age,plan,postcode\nann@example.com,thirty,basic,1010\nbob@example.org,forty,premium,2020\ncy@example.net,twenty,basic,3030");
        await SignInAsync(DemoAccounts.Dpo, Roles.DataProtectionOfficer);

        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo($"datasets/{id}?version=2");
        var cut = RenderPage<DatasetPage>(("DatasetId", id));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=columns-table] tbody tr")), TimeSpan.FromSeconds(5));
        Assert.Contains("column-added", Row(cut, "postcode").ClassName);
        Assert.Contains("new in this version", Row(cut, "postcode").TextContent);
        Assert.Contains("column-retyped", Row(cut, "age").ClassName);
        Assert.Contains("type changed in this version", Row(cut, "age").TextContent);
        Assert.DoesNotContain("column-", Row(cut, "email").ClassName ?? "");
        Assert.Contains("carried from v1", Row(cut, "email").TextContent);
        Assert.Contains("Contract (Art. 6(1)(b))", Row(cut, "email").TextContent);
        Assert.Contains("kept 90 days", Row(cut, "email").TextContent);
        var summary = cut.Find("[data-testid=carry-over]").TextContent;
        Assert.Contains("postcode", summary);
        Assert.Contains("age", summary);
    }

    [Fact]
    public async Task TheDposHomePageListsColumnsToClassifyAndANewUploadAppearsWithoutAReload()
    {
        await SignInAsync(DemoAccounts.Dpo, Roles.DataProtectionOfficer);
        var cut = RenderPage<HomePage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=dpo-todo-count]")), TimeSpan.FromSeconds(5));
        var name = $"home-todo-{Guid.NewGuid():N}"[..20];

        await UploadAsync(name, People);

        cut.WaitForAssertion(() =>
        {
            var group = cut.FindAll("[data-testid=dpo-todo-group]").Single(g => g.GetAttribute("data-dataset") == name);
            Assert.Equal(3, group.QuerySelectorAll("[data-testid=dpo-todo-column]").Length);
            Assert.Contains("email (looks personal)", group.TextContent);
            Assert.EndsWith("?version=1", group.QuerySelector("a")!.GetAttribute("href"));
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AScientistsHomePageHasNoDataProtectionToDo()
    {
        await SignInAsync(DemoAccounts.Scientist, Roles.DataScientist);

        var cut = RenderPage<HomePage>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=my-roles]")), TimeSpan.FromSeconds(5));
        Assert.Empty(cut.FindAll("[data-testid=dpo-todo]"));
    }

    [Fact]
    public async Task TheWorkspaceShowsSignOffsToDoRetentionAndThePersonalDataMap()
    {
        var name = $"map-{Guid.NewGuid():N}"[..14];
        var id = await UploadAsync(name, People);
        var dpo = await ApiAsync(DemoAccounts.Dpo);
        // A retention of one day on a version uploaded now ends within the due window.
        await dpo.PutAsJsonAsync($"/api/datasets/{id}/versions/1/columns/email/classification",
            new { classification = "Personal", protection = new { legalBasis = "Consent", retentionDays = 1 } });
        await SignInAsync(DemoAccounts.Dpo, Roles.DataProtectionOfficer);

        var cut = RenderPage<DpoWorkspacePage>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=personal-data-entry]")), TimeSpan.FromSeconds(5));
        Assert.NotNull(cut.Find("[data-testid=dpo-signoffs]"));
        Assert.NotNull(cut.Find("[data-testid=dpo-todo]"));
        var entry = cut.FindAll("[data-testid=personal-data-entry]").Single(e => e.GetAttribute("data-dataset") == name);
        Assert.Contains("email", entry.TextContent);
        Assert.DoesNotContain("plan", entry.TextContent);
        var retention = cut.FindAll("[data-testid=dpo-retention-row]").Single(r => r.GetAttribute("data-dataset") == name);
        Assert.Contains("1 days", retention.TextContent);
        Assert.Contains("due", retention.QuerySelector("[data-testid=dpo-retention-state]")!.TextContent);
        Assert.Equal("dpo/erasure", cut.Find("[data-testid=dpo-erasure-link]").GetAttribute("href"));
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<PageHost> cut, string column) =>
        cut.FindAll("[data-testid=columns-table] tbody tr").Single(tr => tr.QuerySelector("td strong")?.TextContent == column);

    private async Task<Guid> UploadAsync(string name, string csv)
    {
        var response = await (await ApiAsync(DemoAccounts.Scientist)).UploadCsvAsync(name, csv);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("datasetId").GetGuid();
    }

    private async Task<HttpClient> ApiAsync(string email) =>
        TokenFactory.ClientWith(factory, (await TokenFactory.CreateAsync(factory.Services, email, ApiScopes.Read, ApiScopes.Write)).Token);

    private async Task SignInAsync(string email, string role)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
        var authorization = SignInAs(user!.Id, email, role);
        authorization.SetPolicies([.. AuthorizationMatrix.Capabilities.Where(c => c.Roles.Contains(role)).Select(c => c.Name)]);
    }
}
