using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Web.Features.Users;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Account;

public sealed class LockoutTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    private const string Password = "Correct-Horse-Battery-9";

    [Fact]
    public async Task AccountIsLockedAfterFiveFailedAttemptsEvenForTheRightPassword()
    {
        var email = await CreateUserAsync();
        var client = BrowserSession.NewClient(factory);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var wrong = await BrowserSession.PostLoginAsync(client, email, "wrong-password-" + attempt);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("Wrong email or password", await wrong.Content.ReadAsStringAsync());
        }

        var fifth = await BrowserSession.PostLoginAsync(client, email, "wrong-password-5");
        var right = await BrowserSession.PostLoginAsync(client, email, Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync());
        Assert.Null(right.Headers.Location);
    }

    [Fact]
    public async Task FailuresAndTheLockoutAreAudited()
    {
        var email = await CreateUserAsync();
        var client = BrowserSession.NewClient(factory);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await BrowserSession.PostLoginAsync(client, email, "nope-" + attempt);
        }

        var actions = ActionsFor(email);

        Assert.Equal(5, actions.Count(a => a == AuditActions.SignInFailed.Name));
        Assert.Single(actions, AuditActions.LockedOut.Name);
    }

    [Fact]
    public async Task UnknownUserGetsTheSameAnswerAndIsAudited()
    {
        var client = BrowserSession.NewClient(factory);

        var response = await BrowserSession.PostLoginAsync(client, "nobody@portal.local", "whatever-password");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Wrong email or password", await response.Content.ReadAsStringAsync());
        Assert.Contains(AuditActions.SignInFailed.Name, ActionsFor("unverified:nobody@portal.local"));
    }

    [Fact]
    public async Task OverLongEmailIsRefusedWithAMessageNotAnError()
    {
        var client = BrowserSession.NewClient(factory);

        var response = await BrowserSession.PostLoginAsync(client, new string('a', 300) + "@portal.local", "x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("at most 256 characters", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SuccessfulSignInIsAuditedAndTheCookieIsHttpOnlyAndSameSite()
    {
        var email = await CreateUserAsync();
        var client = BrowserSession.NewClient(factory);

        var response = await BrowserSession.PostLoginAsync(client, email, Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("portal.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(AuditActions.SignInSucceeded.Name, ActionsFor(email));
    }

    [Fact]
    public async Task TamperedCookieIsTreatedAsSignedOut()
    {
        var client = BrowserSession.NewClient(factory);
        client.DefaultRequestHeaders.Add("Cookie", "portal.auth=CfDJ8tampered-value");

        var page = await client.GetAsync("/audit");
        var api = await client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/Account/Login", page.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task ResponsesCarryTheSecurityHeaders()
    {
        var response = await BrowserSession.NewClient(factory).GetAsync("/Account/Login");

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    private async Task<string> CreateUserAsync()
    {
        var email = $"user-{Guid.NewGuid():N}@portal.local";
        var users = factory.Services.GetRequiredService<UserAdministrationService>();
        var result = await users.CreateAsync(new CreateUserRequest(email, null, Password, [Roles.DataScientist]),
            AuditActor.Service("test"), CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
        return email;
    }

    private List<string> ActionsFor(string email) =>
        factory.QueryColumn("SELECT Action FROM AuditEntries WHERE ActorName = $email ORDER BY Sequence", ("$email", email));
}
