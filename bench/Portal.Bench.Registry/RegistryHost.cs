using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Portal.Bench.Registry;

/// <summary>
/// The real app (Release build, logging cut to warnings) on a SQLite file in a temp folder, as bench/Portal.Bench.Api's
/// BenchHost: demo users on (the manager signs in with a password), demo data off (no demo runs queued, no demo registry
/// seeder polling beside the measurement), embedded worker off. Real Kestrel on a loopback port unless <c>--in-process</c>.
/// </summary>
internal sealed partial class RegistryHost : WebApplicationFactory<Program>
{
    public const string Manager = "manager@portal.local";
    public const string Password = "Bench-Password-2026!";

    public RegistryHost(string dataDirectory, bool inProcess)
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
        // Development only because the demo users are seeded there.
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:DataDirectory", DataDirectory);
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:SeedData", "false");
        builder.UseSetting("Demo:Password", Password);
        builder.UseSetting("Worker:Embedded", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Warning");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    /// <summary>A browser-like client (cookies kept, the page's Origin sent) signed in through the real sign-in form.</summary>
    public async Task<HttpClient> SignInAsync(string email)
    {
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true };
        if (Services.GetService(typeof(IServer)) is IServer server && server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } address)
        {
            options.BaseAddress = new Uri(address);
        }

        var client = CreateClient(options);
        client.Timeout = TimeSpan.FromMinutes(2);
        client.DefaultRequestHeaders.Add("Origin", client.BaseAddress!.GetLeftPart(UriPartial.Authority));
        var page = await client.GetStringAsync("/Account/Login");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
        });
        using var response = await client.PostAsync("/Account/Login", form);
        // On Kestrel the factory's client follows the redirect itself: success is then a page other than the sign-in form.
        var landed = response.RequestMessage?.RequestUri?.AbsolutePath ?? "";
        if (response.StatusCode != HttpStatusCode.Redirect && !(response.IsSuccessStatusCode && !landed.StartsWith("/Account/Login", StringComparison.OrdinalIgnoreCase)))
        {
            var body = await response.Content.ReadAsStringAsync();
            var error = Regex.Match(body, "(data-testid=\"login-error\"[^<]*<|class=\"portal-field-error\"[^<]*<)").Value;
            throw new InvalidOperationException($"Sign-in of {email} failed: {(int)response.StatusCode} {error}");
        }

        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
