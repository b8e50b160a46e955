using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Security;

/// <summary>
/// Discovers every routable page and every API endpoint from the app itself and checks, for anonymous and for
/// each role, that access is exactly what <see cref="AuthorizationMatrix"/> says. A page or endpoint added
/// without a policy from the matrix fails here.
/// </summary>
public sealed class RoleMatrixTests(RoleMatrixTests.Fixture fixture) : IClassFixture<RoleMatrixTests.Fixture>
{
    public static TheoryData<string?> Callers() => new() { null, Roles.DataScientist, Roles.BusinessManager, Roles.DataProtectionOfficer, Roles.Administrator };

    [Fact]
    public void EveryPageDeclaresAPolicyFromTheMatrixOrIsExplicitlyAnonymous()
    {
        var offenders = Pages()
            .Where(p => p.AllowAnonymous is false && (p.Policy is null || !AuthorizationMatrix.Contains(p.Policy)))
            .Select(p => p.Route)
            .ToList();

        Assert.NotEmpty(Pages());
        Assert.Empty(offenders);
    }

    [Fact]
    public void OnlyTheSignInAndErrorPagesAreAnonymous()
    {
        var anonymous = Pages().Where(p => p.AllowAnonymous).Select(p => p.Route).Order().ToList();

        Assert.Equal(["/Account/AccessDenied", "/Account/Login", "/Error", "/not-found"], anonymous);
    }

    [Fact]
    public void EveryApiEndpointDeclaresAPolicyFromTheMatrix()
    {
        var offenders = ApiEndpoints()
            .Where(e => e.Policy is null || !AuthorizationMatrix.Contains(e.Policy))
            .Select(e => $"{e.Method} {e.Route}")
            .ToList();

        Assert.NotEmpty(ApiEndpoints());
        Assert.Empty(offenders);
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task PagesAnswerExactlyAsTheMatrixSays(string? role)
    {
        var client = await fixture.ClientForAsync(role);
        var failures = new List<string>();
        foreach (var page in Pages().Where(p => !p.AllowAnonymous))
        {
            using var response = await client.GetAsync(page.Route);
            var location = response.Headers.Location?.ToString() ?? "";
            var expected = role is null ? "redirect to sign-in"
                : AuthorizationMatrix.IsAllowed(page.Policy!, [role]) ? "200" : "redirect to access denied";
            var actual = response.StatusCode == HttpStatusCode.OK ? "200"
                : response.StatusCode == HttpStatusCode.Redirect && location.Contains("/Account/Login") ? "redirect to sign-in"
                : response.StatusCode == HttpStatusCode.Redirect && location.Contains("/Account/AccessDenied") ? "redirect to access denied"
                : $"{(int)response.StatusCode} {location}";
            if (actual != expected)
            {
                failures.Add($"{page.Route}: expected {expected}, got {actual}");
            }
        }

        Assert.Empty(failures);
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task ApiEndpointsAnswerExactlyAsTheMatrixSays(string? role)
    {
        var client = await fixture.ClientForAsync(role);
        var failures = new List<string>();
        foreach (var endpoint in ApiEndpoints())
        {
            var url = RouteParameter().Replace(endpoint.Route, Guid.NewGuid().ToString());
            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), url);
            if (endpoint.Method is "POST" or "PUT" or "PATCH")
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            var allowed = role is not null && AuthorizationMatrix.IsAllowed(endpoint.Policy!, [role]);
            var ok = role is null ? status == 401 : allowed ? status is not (401 or 403) and < 500 : status == 403;
            if (!ok)
            {
                failures.Add($"{endpoint.Method} {endpoint.Route} as {role ?? "anonymous"}: got {status}");
            }
        }

        Assert.Empty(failures);
    }

    private static List<(string Route, string? Policy, bool AllowAnonymous)> Pages() =>
        typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t) && !t.IsAbstract)
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (
                Route: "/" + r.Template.TrimStart('/'),
                Policy: t.GetCustomAttribute<AuthorizeAttribute>()?.Policy,
                AllowAnonymous: t.GetCustomAttribute<AllowAnonymousAttribute>() is not null)))
            .Where(p => !p.Route.Contains('{'))
            .ToList();

    private List<(string Method, string Route, string? Policy)> ApiEndpoints() =>
        fixture.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (
                Method: m,
                Route: e.RoutePattern.RawText!,
                Policy: e.Metadata.GetOrderedMetadata<IAuthorizeData>().LastOrDefault(a => a.Policy is not null)?.Policy)))
            .ToList();

    private static System.Text.RegularExpressions.Regex RouteParameter() => new(@"\{[^}]+\}");

    public sealed class Fixture : PortalAppFactory
    {
        private readonly Dictionary<string, HttpClient> clients = [];

        public async Task<HttpClient> ClientForAsync(string? role)
        {
            if (role is null)
            {
                return BrowserSession.NewClient(this);
            }

            if (!clients.TryGetValue(role, out var client))
            {
                client = await BrowserSession.SignInAsync(this, DemoAccounts.ByRole[role]);
                clients[role] = client;
            }

            return client;
        }
    }
}
