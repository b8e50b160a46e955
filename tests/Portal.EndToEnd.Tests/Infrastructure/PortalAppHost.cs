using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real Portal served by Kestrel on a free loopback port, so a real browser can reach it. Each instance has
/// its own SQLite database in a fresh temporary folder, migrated and seeded with the demo accounts at start.
/// </summary>
public sealed class PortalAppHost : WebApplicationFactory<Program>
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "portal-e2e-" + Guid.NewGuid().ToString("N"));
    private readonly bool runsTrainingWorker;
    private readonly bool runsDemo;

    /// <param name="runsTrainingWorker">
    /// Whether the app hosts its embedded training worker, polling every second and flushing curve points every
    /// 200 ms so a browser sees a run train live; off by default, for journeys that train nothing.
    /// </param>
    /// <param name="runsDemo">
    /// Whether the app runs as <c>dotnet run</c> does: the demo registry seeded through the real workflow (which trains
    /// with the embedded worker) and the demo traffic simulator calling the real predict and feedback endpoints, here
    /// faster (30 requests a second to each demo model, ground truth after 2 s) and without the drift demo.
    /// </param>
    public PortalAppHost(bool runsTrainingWorker = false, bool runsDemo = false)
    {
        this.runsTrainingWorker = runsTrainingWorker || runsDemo;
        this.runsDemo = runsDemo;
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>The folder of the app's SQLite file and artifacts, for other processes that share its database.</summary>
    public string DataDirectory => dataDirectory;

    /// <summary>Where the browser finds the app, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public void Start()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        BaseAddress = new Uri(address);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development: static web assets (blazor.web.js, MudBlazor's files) resolve from the build output only there,
        // and only there are the demo accounts seeded.
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:DataDirectory", dataDirectory);
        builder.UseSetting("Database:ConnectionString", "");
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:Password", DemoAccounts.Password);
        builder.UseSetting("Demo:SeedData", runsDemo ? "true" : "false");
        builder.UseSetting("Demo:Traffic:Enabled", runsDemo ? "true" : "false");
        if (runsDemo)
        {
            builder.UseSetting("Demo:Traffic:RequestsPerSecond", "30");
            builder.UseSetting("Demo:Traffic:FeedbackDelaySeconds", "2");
            builder.UseSetting("Demo:Traffic:DriftAfterSeconds", "-1");
        }

        if (runsTrainingWorker)
        {
            builder.UseSetting("Worker:Embedded", "true");
            builder.UseSetting("Training:PollSeconds", "1");
            // Every curve chunk is written and pushed as it is computed: on a fast machine a small run's whole curve
            // fits in one 200 ms flush window, and the page would receive it in one piece.
            builder.UseSetting("Training:FlushMilliseconds", "0");
            // Rollouts are analysed every second and a node re-reads a model's route (champion, canary share) every
            // 200 ms, so a journey sees a canary step pass within seconds of its traffic.
            builder.UseSetting("Rollouts:IntervalSeconds", "1");
            builder.UseSetting("Serving:RouteRefreshMilliseconds", "200");
        }
        else
        {
            // Journeys that train nothing get a quiet host, which keeps the two cores free for the browser.
            builder.UseSetting("Worker:Embedded", "false");
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test run for.
        }
    }
}
