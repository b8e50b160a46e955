using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Security;

/// <summary>
/// Every unsafe API endpoint discovered from the app, called with a permitted role's sign-in cookie from another
/// origin (or with no Origin or Referer), answers 403 problem+json and writes nothing; the same calls from Portal's own
/// origin, and with a bearer token from anywhere, go through.
/// </summary>
public sealed class CrossOriginApiWriteTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    private const string Foreign = "https://evil.example";

    [Fact]
    public async Task EveryUnsafeApiEndpointRefusesACookieFromAnotherOriginAndWritesNothing()
    {
        var endpoints = UnsafeApiEndpoints();
        Assert.NotEmpty(endpoints);
        var clients = new Dictionary<string, HttpClient>();
        // Something real to revoke, made before the snapshot: a forged DELETE must leave it active.
        var tokens = new Dictionary<string, Guid>();
        foreach (var email in DemoAccounts.ByRole.Values)
        {
            tokens[email] = (await TokenFactory.CreateAsync(factory.Services, email, ApiScopes.Read)).Id;
        }

        foreach (var role in Roles.All)
        {
            clients[role] = await BrowserSession.SignInAsync(factory, DemoAccounts.ByRole[role]);
        }

        var before = Snapshot();
        var failures = new List<string>();

        foreach (var (method, route, policy) in endpoints)
        {
            var role = Roles.All.FirstOrDefault(r => AuthorizationMatrix.IsAllowed(policy, [r]));
            Assert.True(role is not null, $"{method} {route}: no role may call it");
            var client = clients[role];

            foreach (var (origin, referer) in new (string?, string?)[] { (Foreign, null), ("null", null), (null, null), (null, Foreign + "/page") })
            {
                using var request = Request(method, route, tokens[DemoAccounts.ByRole[role]]);
                request.Headers.Remove("Origin");
                if (origin is not null)
                {
                    request.Headers.TryAddWithoutValidation("Origin", origin);
                }

                if (referer is not null)
                {
                    request.Headers.Referrer = new Uri(referer);
                }

                client.DefaultRequestHeaders.Remove("Origin");
                using var response = await client.SendAsync(request);
                client.DefaultRequestHeaders.Add("Origin", "http://localhost");
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.Forbidden || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                    || !body.Contains("Bearer", StringComparison.Ordinal))
                {
                    failures.Add($"{method} {route} as {role}, Origin {origin ?? "(none)"}, Referer {referer ?? "(none)"}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 120)]}");
                }
            }
        }

        Assert.Empty(failures);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task PortalsOwnOriginOrReferrerAndBearerTokensFromAnywhereGoThrough()
    {
        var cookie = await BrowserSession.SignInAsync(factory, DemoAccounts.Scientist);
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var bearer = TokenFactory.ClientWith(factory, token.Token);
        bearer.DefaultRequestHeaders.Remove("Origin");
        bearer.DefaultRequestHeaders.Add("Origin", Foreign);

        var sameOrigin = await cookie.PostAsJsonAsync("/api/experiments", new { name = $"own-origin-{Guid.NewGuid():N}", description = "x" });
        cookie.DefaultRequestHeaders.Remove("Origin");
        cookie.DefaultRequestHeaders.Referrer = new Uri("http://localhost/experiments");
        var sameReferrer = await cookie.PostAsJsonAsync("/api/experiments", new { name = $"own-referrer-{Guid.NewGuid():N}", description = "x" });
        var viaToken = await bearer.PostAsJsonAsync("/api/experiments", new { name = $"token-{Guid.NewGuid():N}", description = "x" });

        Assert.Equal(HttpStatusCode.Created, sameOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.Created, sameReferrer.StatusCode);
        Assert.Equal(HttpStatusCode.Created, viaToken.StatusCode);
    }

    [Fact]
    public async Task ReadingWithACookieFromAnotherOriginIsUnaffected()
    {
        var client = await BrowserSession.SignInAsync(factory, DemoAccounts.Admin);
        client.DefaultRequestHeaders.Remove("Origin");
        client.DefaultRequestHeaders.Add("Origin", Foreign);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
    }

    /// <summary>A request that would succeed from Portal's own origin where the test knows how to make one, else <c>{}</c>.</summary>
    private static HttpRequestMessage Request(string method, string route, Guid callersToken)
    {
        var url = System.Text.RegularExpressions.Regex.Replace(route, @"\{[^}]+\}", Guid.NewGuid().ToString());
        HttpContent content = new StringContent("{}", Encoding.UTF8, "application/json");
        switch (method, route)
        {
            case ("POST", "/api/users/"):
                content = JsonContent.Create(new { email = $"csrf-{Guid.NewGuid():N}@example.com", password = PortalAppFactory.DemoPassword, roles = new[] { Roles.DataScientist } });
                break;
            case ("POST", "/api/experiments/"):
                content = JsonContent.Create(new { name = $"csrf-{Guid.NewGuid():N}", description = "forged" });
                break;
            case ("POST", "/api/datasets/"):
                var form = new MultipartFormDataContent { { new StringContent("forged"), "name" } };
                var file = new ByteArrayContent(Encoding.UTF8.GetBytes("a,b\n1,2\n3,4\n"));
                file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
                form.Add(file, "file", "forged.csv");
                content = form;
                break;
            case ("POST", "/api/webhooks/"):
                content = JsonContent.Create(new { name = $"csrf-{Guid.NewGuid():N}", url = "https://evil.example/hook", events = new[] { "*" } });
                break;
            case ("DELETE", "/api/tokens/{id:guid}"):
                url = $"/api/tokens/{callersToken}";
                break;
        }

        return new HttpRequestMessage(new HttpMethod(method), url) { Content = method == "DELETE" ? null : content };
    }

    /// <summary>Row counts of every table, and the revoked tokens (audit entries included: every change writes one).</summary>
    private string Snapshot()
    {
        var tables = factory.QueryColumn("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
        return string.Join(", ", tables.Select(t => $"{t}={factory.QueryColumn($"SELECT COUNT(*) FROM \"{t}\"").Single()}"))
            + ", revoked=" + factory.QueryColumn("SELECT COUNT(*) FROM ApiTokens WHERE RevokedUtc IS NOT NULL").Single();
    }

    private List<(string Method, string Route, string Policy)> UnsafeApiEndpoints() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (
                Method: m,
                Route: e.RoutePattern.RawText!,
                Policy: e.Metadata.GetOrderedMetadata<IAuthorizeData>().Last(a => a.Policy is not null).Policy!)))
            .Where(e => e.Method is "POST" or "PUT" or "PATCH" or "DELETE")
            .ToList();
}
