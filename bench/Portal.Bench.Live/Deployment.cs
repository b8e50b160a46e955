using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Data;
using Portal.Data.Postgres;
using Portal.Data.Sqlite;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Bench.Live;

/// <summary>
/// Two web processes (A and B) on one database, as a scale-out deploys them: SQLite (one file shared by both) or a
/// private PostgreSQL server. Node A migrates and seeds the demo users; the portal's own command line issues the API
/// token every client uses. The embedded worker is off on both nodes: the benchmark's writer plays the standalone worker.
/// </summary>
internal sealed class Deployment : IAsyncDisposable
{
    public const string Scientist = "scientist@portal.local";
    private const string DemoPassword = "Bench-Password-2026!";

    private readonly PostgresServer? postgres;
    private readonly DbContextOptions<PortalDbContext> remoteOptions;
    private readonly bool keep;

    private Deployment(string provider, string folder, PostgresServer? postgres, DbContextOptions<PortalDbContext> remoteOptions, bool keep)
    {
        Provider = provider;
        Folder = folder;
        this.postgres = postgres;
        this.remoteOptions = remoteOptions;
        this.keep = keep;
    }

    public string Provider { get; }

    /// <summary>The data folder (the SQLite file, artifacts) and the nodes' logs.</summary>
    public string Folder { get; }

    public WebNode A { get; private set; } = null!;

    public WebNode B { get; private set; } = null!;

    public string Token { get; private set; } = "";

    /// <summary>The nodes' configuration (for a further node, such as the idle control).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; private set; } = new Dictionary<string, string>();

    public string WebDll { get; private set; } = "";

    public static async Task<Deployment> StartAsync(string provider, string webDll, bool keep)
    {
        var folder = Path.Combine(Path.GetTempPath(), "portal-bench-live", $"{provider}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var environment = new Dictionary<string, string>
        {
            // Development only because the demo users are seeded there (Demo:Enabled is ignored elsewhere).
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Database__DataDirectory"] = folder,
            ["Worker__Embedded"] = "false",
            ["Demo__Enabled"] = "true",
            ["Demo__SeedData"] = "false",
            ["Demo__Password"] = DemoPassword,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Warning",
        };

        PostgresServer? postgres = null;
        var remote = new DbContextOptionsBuilder<PortalDbContext>();
        if (provider == "postgres")
        {
            postgres = await PostgresServer.StartAsync();
            // The test server's connection strings turn pooling off; a web node runs with the pool, as deployed.
            var connectionString = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync("portal")) { Pooling = true }.ConnectionString;
            environment["Database__Provider"] = "Postgres";
            environment["Database__ConnectionString"] = connectionString;
            PostgresDatabase.Configure(remote, connectionString);
        }
        else
        {
            environment["Database__Provider"] = "Sqlite";
            SqliteDatabase.Configure(remote, SqliteDatabase.DefaultConnectionString(folder));
        }

        var deployment = new Deployment(provider, folder, postgres, remote.Options, keep) { Environment = environment, WebDll = webDll };
        // A first, alone: it migrates the database and seeds the users; then the token; then B on the migrated database.
        deployment.A = await WebNode.StartAsync($"{provider}-A", webDll, environment, folder);
        var output = await WebNode.RunCommandAsync(webDll, environment, "token", "create", "--user", Scientist, "--scope", "read,write", "--days", "1", "--name", "live-bench");
        deployment.Token = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        deployment.B = await WebNode.StartAsync($"{provider}-B", webDll, environment, folder);
        return deployment;
    }

    /// <summary>A third node, like A and B but with some settings changed (it is the caller's to dispose).</summary>
    public Task<WebNode> StartNodeAsync(string name, IReadOnlyDictionary<string, string> overrides) =>
        WebNode.StartAsync($"{Provider}-{name}", WebDll, Environment.Concat(overrides).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value), Folder);

    /// <summary>
    /// A context on the database as another process opens it (the standalone worker does exactly this): the provider's
    /// configuration, none of a web node's interceptors, so no node learns of its commits except through the outbox.
    /// </summary>
    public PortalDbContext OpenRemoteDb() => new(remoteOptions);

    public HttpClient Client(WebNode node)
    {
        var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromMinutes(1) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>An externally tracked run (status Running), as a notebook opens one through the API.</summary>
    public async Task<Guid> CreateExternalRunAsync(HttpClient client, string experiment)
    {
        using var created = await client.PostAsJsonAsync("/api/runs", new { experiment, mode = "external", trainer = "External" });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
    }

    public async ValueTask DisposeAsync()
    {
        if (B is not null)
        {
            await B.DisposeAsync();
        }

        if (A is not null)
        {
            await A.DisposeAsync();
        }

        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        if (!keep)
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }
}
