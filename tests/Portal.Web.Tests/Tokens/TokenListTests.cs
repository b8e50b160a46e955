using System.Net.Http.Json;
using System.Text.Json;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Tokens;

/// <summary><c>GET /api/tokens</c> as README says: one's own tokens; an administrator's list holds everyone's, each with its owner.</summary>
public sealed class TokenListTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task AnAdministratorSeesEveryonesTokensWithTheirOwners()
    {
        var scientists = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read);
        var admins = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Admin, ApiScopes.Read);
        var admin = await BrowserSession.SignInAsync(factory, DemoAccounts.Admin);

        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/tokens");

        var row = listed.EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == scientists.Id);
        Assert.Equal(DemoAccounts.Scientist, row.GetProperty("owner").GetProperty("email").GetString());
        Assert.Contains(listed.EnumerateArray(), t => t.GetProperty("id").GetGuid() == admins.Id);
    }

    [Fact]
    public async Task AnyoneElseSeesOnlyTheirOwnTokens()
    {
        var scientists = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read);
        var managers = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Manager, ApiScopes.Read);
        var scientist = await BrowserSession.SignInAsync(factory, DemoAccounts.Scientist);

        var listed = (await scientist.GetFromJsonAsync<JsonElement>("/api/tokens")).EnumerateArray().ToList();

        Assert.Contains(listed, t => t.GetProperty("id").GetGuid() == scientists.Id);
        Assert.DoesNotContain(listed, t => t.GetProperty("id").GetGuid() == managers.Id);
        Assert.All(listed, t => Assert.Equal(DemoAccounts.Scientist, t.GetProperty("owner").GetProperty("email").GetString()));
    }
}
