using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Web.Features.Tokens;

namespace Portal.Bench.Api;

/// <summary>
/// The real app (Release build, Production-like logging) on a SQLite file in a temp folder, embedded worker off so
/// seeded Queued runs are not picked up; demo users on so the scientist exists. Real Kestrel on a loopback port
/// unless <c>--in-process</c>.
/// </summary>
internal sealed class BenchHost : WebApplicationFactory<Program>
{
    public const string Scientist = "scientist@portal.local";
    private const string DemoPassword = "Bench-Password-2026!";

    public BenchHost(string dataDirectory, bool inProcess)
    {
        DataDirectory = dataDirectory;
        if (!inProcess)
        {
            UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        }
    }

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "portal.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development only because the demo users are seeded there; logging is cut to warnings so it does not skew timings.
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:DataDirectory", DataDirectory);
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:Password", DemoPassword);
        builder.UseSetting("Worker:Embedded", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Warning");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    public async Task<(string UserId, string Token)> CreateTokenAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(Scientist)
                   ?? throw new InvalidOperationException($"No demo user {Scientist}; is Demo:Enabled honoured?");
        var result = await Services.GetRequiredService<TokenService>()
            .CreateAsync(user.Id, new CreateTokenRequest("bench", [ApiScopes.Read, ApiScopes.Write], 7), AuditActor.User(user.Id, Scientist), CancellationToken.None);
        return (user.Id, result.Value?.Token ?? throw new InvalidOperationException(result.Error));
    }

    public HttpClient ClientWith(string token)
    {
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false };
        if (Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } address)
        {
            options.BaseAddress = new Uri(address);
        }

        var client = CreateClient(options);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.Timeout = TimeSpan.FromMinutes(2);
        return client;
    }
}
