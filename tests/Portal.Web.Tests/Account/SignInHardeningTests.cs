using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Web.Features.Users;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Account;

/// <summary>Sign-in against enumeration and abuse: equal hashing work, bounded audit text, the administrator's lock told apart.</summary>
public sealed class SignInHardeningTests(SignInHardeningTests.Fixture factory) : IClassFixture<SignInHardeningTests.Fixture>
{
    private const string Password = "Correct-Horse-Battery-9";

    [Fact]
    public async Task AnUnknownEmailCostsTheSamePasswordHashingAsAWrongPassword()
    {
        var email = await CreateUserAsync();

        var known = await HashVerificationsDuringAsync(() => BrowserSession.PostLoginAsync(BrowserSession.NewClient(factory), email, "wrong-password-1"));
        var unknown = await HashVerificationsDuringAsync(() => BrowserSession.PostLoginAsync(BrowserSession.NewClient(factory), "nobody-" + email, "wrong-password-1"));

        Assert.Equal(1, known);
        Assert.Equal(known, unknown);
    }

    [Fact]
    public async Task AnUnknownIdentifierIsStoredNormalisedTruncatedAndMarkedUnverified()
    {
        var typed = "  =CMD|'/C calc'!A0\u202E\u0007" + new string('X', 150) + "@Evil.Example  ";

        var response = await BrowserSession.PostLoginAsync(BrowserSession.NewClient(factory), typed, "whatever-password");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var expected = AuditActor.UnverifiedPrefix + ("=cmd|'/c calc'!a0" + new string('x', 150))[..AuditActor.MaxClaimedLength];
        var stored = factory.QueryColumn(
            "SELECT ActorName FROM AuditEntries WHERE Action = $a AND ActorName LIKE 'unverified:=cmd%'", ("$a", AuditActions.SignInFailed.Name));
        Assert.Equal(expected, Assert.Single(stored));
        Assert.Equal("Anonymous", Assert.Single(factory.QueryColumn(
            "SELECT ActorKind FROM AuditEntries WHERE ActorName = $n", ("$n", expected))), ignoreCase: true);
    }

    [Fact]
    public async Task AnAdministratorsLockIsToldApartFromTooManyFailedAttempts()
    {
        var email = await CreateUserAsync();
        var users = factory.Services.GetRequiredService<UserAdministrationService>();
        var id = (await users.ListAsync(new UserQuery(email), CancellationToken.None)).Items.Single().Id;
        Assert.True((await users.LockAsync(id, AuditActor.Service("test-admin"), CancellationToken.None)).Succeeded);

        var right = await BrowserSession.PostLoginAsync(BrowserSession.NewClient(factory), email, Password);
        var wrong = await BrowserSession.PostLoginAsync(BrowserSession.NewClient(factory), email, "wrong-password-1");

        var page = await right.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, right.StatusCode);
        Assert.Contains("An administrator has locked this account", page);
        Assert.DoesNotContain("too many failed attempts", page);
        // Without the password nobody learns why: the same answer as for any wrong password.
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Wrong email or password", await wrong.Content.ReadAsStringAsync());
    }

    private async Task<int> HashVerificationsDuringAsync(Func<Task<HttpResponseMessage>> attempt)
    {
        var hasher = factory.Services.GetRequiredService<CountingPasswordHasher>();
        var before = hasher.Verifications;
        var response = await attempt();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        return hasher.Verifications - before;
    }

    private async Task<string> CreateUserAsync()
    {
        var email = $"user-{Guid.NewGuid():N}@portal.local";
        var result = await factory.Services.GetRequiredService<UserAdministrationService>().CreateAsync(
            new CreateUserRequest(email, null, Password, [Roles.DataScientist]), AuditActor.Service("test"), CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
        return email;
    }

    /// <summary>The app with Identity's own password hasher wrapped in one that counts verifications.</summary>
    public sealed class Fixture : PortalAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<CountingPasswordHasher>();
                services.Replace(ServiceDescriptor.Scoped<IPasswordHasher<PortalUser>>(sp => sp.GetRequiredService<CountingPasswordHasher>()));
            });
        }
    }

    public sealed class CountingPasswordHasher(IOptions<PasswordHasherOptions> options) : IPasswordHasher<PortalUser>
    {
        private readonly PasswordHasher<PortalUser> inner = new(options);
        private int verifications;

        public int Verifications => Volatile.Read(ref verifications);

        public string HashPassword(PortalUser user, string password) => inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(PortalUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref verifications);
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
