using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Account;

/// <summary>
/// Sign-in limits per client address and per account (here 4 and 3 a minute), and forwarded headers believed only
/// from a configured proxy. The test host has no client addresses, so each request names its peer address in a
/// test-only header, set on the connection before the app sees the request.
/// </summary>
public sealed class SignInRateLimitTests(SignInRateLimitTests.Fixture factory) : IClassFixture<SignInRateLimitTests.Fixture>
{
    private const string Proxy = "10.9.9.9";

    [Fact]
    public async Task AnAccountIsThrottledAcrossClientsAndThrottledAttemptsWriteNothing()
    {
        var email = $"target-{Guid.NewGuid():N}@portal.local";

        var answers = new List<HttpResponseMessage>();
        for (var i = 1; i <= 5; i++)
        {
            answers.Add(await AttemptAsync($"10.1.0.{i}", forwardedFor: null, email));
        }

        Assert.All(answers.Take(3), a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        Assert.All(answers.Skip(3), a => Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode));
        Assert.Contains("Too many sign-in attempts", await answers[3].Content.ReadAsStringAsync());
        Assert.True(int.Parse(answers[3].Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);
        Assert.Equal(3, factory.QueryColumn("SELECT Sequence FROM AuditEntries WHERE ActorName = $n",
            ("$n", AuditActor.UnverifiedPrefix + email)).Count);
    }

    [Fact]
    public async Task AClientIsThrottledAcrossAccountsAndCannotEscapeWithForwardedForFromAnUnknownPeer()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 6; i++)
        {
            var response = await AttemptAsync("10.2.0.1", forwardedFor: $"203.0.113.{i}", $"spray-{i}-{Guid.NewGuid():N}@portal.local");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task BehindAKnownProxyEachForwardedClientHasItsOwnLimit()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 6; i++)
        {
            var response = await AttemptAsync(Proxy, forwardedFor: $"198.51.100.{i}", $"proxied-{i}-{Guid.NewGuid():N}@portal.local");
            statuses.Add(response.StatusCode);
        }

        var sameClient = new List<HttpStatusCode>();
        for (var i = 1; i <= 5; i++)
        {
            var response = await AttemptAsync(Proxy, forwardedFor: "198.51.100.200", $"one-client-{i}-{Guid.NewGuid():N}@portal.local");
            sameClient.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, sameClient[^1]);
    }

    private async Task<HttpResponseMessage> AttemptAsync(string peer, string? forwardedFor, string email)
    {
        var client = BrowserSession.NewClient(factory);
        client.DefaultRequestHeaders.Add(Fixture.PeerHeader, peer);
        if (forwardedFor is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }

        return await BrowserSession.PostLoginAsync(client, email, "wrong-password-1");
    }

    public sealed class Fixture : PortalAppFactory
    {
        public const string PeerHeader = "X-Test-Peer";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Security:SignInsPerClientPerMinute", "4");
            builder.UseSetting("Security:SignInsPerAccountPerMinute", "3");
            builder.UseSetting("ForwardedHeaders:KnownProxies:0", Proxy);
            builder.ConfigureServices(services => services.AddTransient<IStartupFilter, PeerAddressFilter>());
        }

        private sealed class PeerAddressFilter : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use((context, nextMiddleware) =>
                {
                    if (IPAddress.TryParse(context.Request.Headers[PeerHeader].ToString(), out var peer))
                    {
                        context.Connection.RemoteIpAddress = peer;
                    }

                    return nextMiddleware(context);
                });
                next(app);
            };
        }
    }
}
