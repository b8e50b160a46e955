using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Components;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Security;

/// <summary>
/// No request can make Portal build a redirect to a host it chose: every page, the sign-in and sign-out and the API,
/// asked for with <c>Host: evil.example</c> or with <c>X-Forwarded-Host: evil.example</c>, never answer with a
/// Location on evil.example (an unknown host is refused with 400).
/// </summary>
public sealed class HostHeaderTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    private const string Evil = "evil.example";

    [Fact]
    public async Task NoPageOrEndpointRedirectsToAHostTheRequestChose()
    {
        var signedIn = await BrowserSession.SignInAsync(factory, DemoAccounts.Admin);
        var anonymous = BrowserSession.NewClient(factory);
        var failures = new List<string>();
        foreach (var path in Paths())
        {
            foreach (var (client, who) in new[] { (anonymous, "anonymous"), (signedIn, "admin") })
            {
                using var viaHost = await client.GetAsync($"http://{Evil}{path}");
                using var forwarded = new HttpRequestMessage(HttpMethod.Get, path);
                forwarded.Headers.Add("X-Forwarded-Host", Evil);
                forwarded.Headers.Add("X-Forwarded-Proto", "https");
                using var viaForwarded = await client.SendAsync(forwarded);

                if (viaHost.StatusCode != HttpStatusCode.BadRequest || PointsAtEvil(viaHost))
                {
                    failures.Add($"Host: {Evil} {path} as {who}: {(int)viaHost.StatusCode} {viaHost.Headers.Location}");
                }

                if (PointsAtEvil(viaForwarded) || viaForwarded.Headers.Location?.Scheme == "https")
                {
                    failures.Add($"X-Forwarded-Host {path} as {who}: {(int)viaForwarded.StatusCode} {viaForwarded.Headers.Location}");
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task TheHostsTheTestsAndDotnetRunUseAreAllowed()
    {
        var client = BrowserSession.NewClient(factory);
        foreach (var host in new[] { "localhost:5080", "127.0.0.1:41234", "[::1]:5080" })
        {
            using var response = await client.GetAsync($"http://{host}/healthz");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static bool PointsAtEvil(HttpResponseMessage response) =>
        response.Headers.Location is { } location && location.IsAbsoluteUri && location.Host.Contains(Evil, StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> Paths() =>
        typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t) && !t.IsAbstract)
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => "/" + r.Template.TrimStart('/')))
            .Where(route => !route.Contains('{'))
            .Concat(["/", "/api/me", "/api/audit/export", "/Account/Login?ReturnUrl=%2Faudit", "/healthz"])
            .Distinct();
}
