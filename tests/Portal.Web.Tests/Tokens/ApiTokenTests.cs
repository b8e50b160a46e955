using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Tokens;

public sealed class ApiTokenTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task ReadTokenReadsButCannotWrite()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Admin, ApiScopes.Read);
        var client = TokenFactory.ClientWith(factory, token.Token);

        var list = await client.GetAsync("/api/users");
        var create = await client.PostAsJsonAsync("/api/users", new { email = "new@portal.local", password = "Long-enough-pass-1", roles = new[] { "DataScientist" } });

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Contains("lacks the 'write' scope", await create.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WriteTokenOfAnAdministratorCreatesAUser()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Admin, ApiScopes.Read, ApiScopes.Write);
        var client = TokenFactory.ClientWith(factory, token.Token);

        var create = await client.PostAsJsonAsync("/api/users",
            new { email = "api-made@portal.local", password = "Long-enough-pass-1", roles = new[] { Roles.BusinessManager } });

        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
    }

    [Fact]
    public async Task TokenNeverExceedsItsUsersRoles()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write, ApiScopes.Predict);
        var client = TokenFactory.ClientWith(factory, token.Token);

        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");
        var audit = await client.GetAsync("/api/audit/verify");
        var users = await client.PostAsJsonAsync("/api/users", new { email = "x@portal.local" });

        Assert.Equal("token", me.GetProperty("authenticatedWith").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, audit.StatusCode);
        Assert.Contains("roles", await audit.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, users.StatusCode);
    }

    [Fact]
    public async Task UsingATokenRecordsWhenItWasLastUsed()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Manager, ApiScopes.Read);
        var client = TokenFactory.ClientWith(factory, token.Token);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
        var listed = await client.GetFromJsonAsync<JsonElement>("/api/tokens");

        var mine = listed.EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == token.Id);
        Assert.NotEqual(JsonValueKind.Null, mine.GetProperty("lastUsedUtc").ValueKind);
    }

    [Fact]
    public async Task RevokedTokenIsRefusedAndBothActsAreAudited()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Dpo, ApiScopes.Read, ApiScopes.Write);
        var client = TokenFactory.ClientWith(factory, token.Token);

        var revoke = await client.DeleteAsync($"/api/tokens/{token.Id}");
        var after = await client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("revoked", await after.Content.ReadAsStringAsync());
        Assert.Contains("invalid_token", after.Headers.WwwAuthenticate.ToString());
        var subjects = AuditActionsAbout(token.Id);
        Assert.Contains(AuditActions.TokenCreated.Name, subjects);
        Assert.Contains(AuditActions.TokenRevoked.Name, subjects);
        Assert.Contains(AuditActions.TokenRejected.Name, subjects);
    }

    [Fact]
    public async Task NobodyRevokesSomeoneElsesTokenExceptAnAdministrator()
    {
        var victim = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Manager, ApiScopes.Read);
        var otherToken = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Write);

        var response = await TokenFactory.ClientWith(factory, otherToken.Token).DeleteAsync($"/api/tokens/{victim.Id}");
        var stillWorks = await TokenFactory.ClientWith(factory, victim.Token).GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
    }

    [Theory]
    [InlineData("ptl_this-token-does-not-exist")]
    [InlineData("not-even-a-portal-token")]
    public async Task UnknownTokenGets401WithAReason(string bogus)
    {
        var response = await TokenFactory.ClientWith(factory, bogus).GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task AnonymousApiCallGets401NotARedirect()
    {
        var response = await BrowserSession.NewClient(factory).GetAsync("/api/audit/verify");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task LockedUsersTokenStopsWorkingAtOnceEvenRightAfterItWasUsed()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, "scientist2@portal.local", ApiScopes.Read);
        var admin = await BrowserSession.SignInAsync(factory, DemoAccounts.Admin);
        var users = await admin.GetFromJsonAsync<JsonElement>("/api/users?search=scientist2");
        var id = users.GetProperty("items")[0].GetProperty("id").GetString()!;
        var service = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Portal.Web.Features.Users.UserAdministrationService>(factory.Services);

        var client = TokenFactory.ClientWith(factory, token.Token);
        var before = await client.GetAsync("/api/me"); // this node now remembers the token's success (Security:TokenCacheMilliseconds)

        await service.LockAsync(id, AuditActor.Service("test"), CancellationToken.None);
        var response = await client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("locked", await response.Content.ReadAsStringAsync());
    }

    private List<string> AuditActionsAbout(Guid tokenId) =>
        factory.QueryColumn("SELECT Action FROM AuditEntries WHERE SubjectType = 'ApiToken' AND SubjectId = $id", ("$id", tokenId.ToString()));
}

/// <summary>Expiry, on a clock the test moves.</summary>
public sealed class ApiTokenExpiryTests(ApiTokenExpiryTests.ClockFactory factory) : IClassFixture<ApiTokenExpiryTests.ClockFactory>
{
    [Fact]
    public async Task TokenIsRefusedOnceItHasExpired()
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Manager, ApiScopes.Read);
        var client = TokenFactory.ClientWith(factory, token.Token);

        var before = await client.GetAsync("/api/me");
        factory.Time.Advance(TimeSpan.FromDays(8));
        var after = await client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("expired", await after.Content.ReadAsStringAsync());
    }

    public sealed class ClockFactory : PortalAppFactory
    {
        public ClockFactory()
        {
            Clock = Time;
        }

        public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);
    }
}
