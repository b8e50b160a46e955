using System.Net;
using System.Net.Http.Json;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Runs;
using Portal.Data;
using Portal.Data.Live;
using Portal.Domain.Security;
using Portal.Web.Features.Runs.Live;
using Portal.Web.Features.Runs.Queries;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Runs.Live;

/// <summary>The run page offers Cancel only to whom the cancellation would be allowed: the submitter, or an Administrator.</summary>
public sealed class CancelButtonTests : ComponentTestContext, IClassFixture<PortalAppFactory>
{
    private readonly PortalAppFactory factory;

    public CancelButtonTests(PortalAppFactory factory)
    {
        this.factory = factory;
        Services.AddSingleton(factory.Services.GetRequiredService<RunQueries>());
        Services.AddSingleton(factory.Services.GetRequiredService<RunCancellation>());
        Services.AddSingleton(factory.Services.GetRequiredService<LiveEventBus>());
    }

    [Theory]
    [InlineData(DemoAccounts.Scientist, Roles.DataScientist, true)]
    [InlineData("scientist2@portal.local", Roles.DataScientist, false)]
    [InlineData(DemoAccounts.Admin, Roles.Administrator, true)]
    [InlineData(DemoAccounts.Manager, Roles.BusinessManager, false)]
    [InlineData(DemoAccounts.Dpo, Roles.DataProtectionOfficer, false)]
    public async Task TheCancelButtonShowsOnlyToWhomMayCancel(string email, string role, bool shown)
    {
        var owner = TokenFactory.ClientWith(factory, (await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write)).Token);
        var created = await owner.PostAsJsonAsync("/api/runs", new { experiment = "cancel-button", mode = "external", task = "binary" });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var runId = (await created.JsonAsync()).GetProperty("runId").GetGuid();
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            SignInAs(await db.Users.Where(u => u.Email == email).Select(u => u.Id).FirstAsync(), email, role);
        }

        var cut = RenderPage<RunPage>((nameof(RunPage.RunId), runId));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=run-stage]")));
        cut.WaitForAssertion(() => Assert.Equal(shown, cut.FindAll("[data-testid=cancel-run]").Count == 1));
    }
}
