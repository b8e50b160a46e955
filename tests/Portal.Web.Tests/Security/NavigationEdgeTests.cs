using System.Net;
using System.Text.RegularExpressions;
using Portal.Domain.Audit;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Security;

public sealed partial class NavigationEdgeTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task UnknownAddressShowsTheNotFoundPage()
    {
        var client = await BrowserSession.SignInAsync(factory, DemoAccounts.Manager);

        var response = await client.GetAsync("/does-not-exist");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignOutWithoutTheAntiforgeryTokenIsRefused()
    {
        var client = await BrowserSession.SignInAsync(factory, DemoAccounts.Scientist);

        var response = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignOutEndsTheSessionAndIsAudited()
    {
        var client = await BrowserSession.SignInAsync(factory, DemoAccounts.Dpo);
        var home = await client.GetStringAsync("/");
        var token = WebUtility.HtmlDecode(Antiforgery().Match(home).Groups[1].Value);

        var response = await client.PostAsync("/Account/Logout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("/Account/Login", response.Headers.Location!.ToString());
        var after = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains(AuditActions.SignedOut.Name,
            factory.QueryColumn("SELECT Action FROM AuditEntries WHERE ActorName = $e", ("$e", DemoAccounts.Dpo)));
    }

    [Theory]
    [InlineData("/api/runs", "{ not json")]
    [InlineData("/api/runs", "[1,2,3]")]
    [InlineData("/api/users", "{\"email\": 5}")]
    public async Task MalformedJsonIsA400WithAProblemNotA500(string path, string body)
    {
        var client = await BrowserSession.SignInAsync(factory, DemoAccounts.Admin);
        var scientist = await BrowserSession.SignInAsync(factory, DemoAccounts.Scientist);
        var caller = path == "/api/users" ? client : scientist;

        var response = await caller.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", problem);
        Assert.Contains("The JSON body is malformed or has a value of the wrong type", problem); // says what could not be read
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
