using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Data;
using Portal.Data.Postgres;
using Portal.Data.Sqlite;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>
/// The real app on a real SQLite file of its own (one folder per factory), Development environment with the
/// demo users seeded, embedded worker off so background writes do not interleave with assertions.
/// </summary>
public class PortalAppFactory : WebApplicationFactory<Program>
{
    public const string DemoPassword = "Test-Password-2026!";

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "portal-tests", Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(DataDirectory, "portal.db");

    /// <summary>Replaces the clock when set (token expiry tests).</summary>
    protected TimeProvider? Clock { get; init; }

    /// <summary>The replaced clock, when it is a fake the test moves.</summary>
    public FakeTimeProvider? FakeClock => Clock as FakeTimeProvider;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:DataDirectory", DataDirectory);
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:Password", DemoPassword);
        builder.UseSetting("Demo:SeedData", "false");
        builder.UseSetting("Demo:Traffic:Enabled", "false");
        builder.UseSetting("Worker:Embedded", "false");
        if (Clock is not null)
        {
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton(Clock)));
        }
    }

    /// <summary>
    /// A context on the app's database as another process (a standalone worker, another web node) opens it: same
    /// provider and connection, but none of this process's interceptors, so its commits do not wake this app's outbox tail.
    /// </summary>
    public PortalDbContext RemoteDb()
    {
        var database = Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        if (database.Provider == DatabaseProviders.Postgres)
        {
            PostgresDatabase.Configure(options, database.ConnectionString!);
        }
        else
        {
            SqliteDatabase.Configure(options, SqliteDatabase.DefaultConnectionString(DataDirectory));
        }

        return new PortalDbContext(options.Options);
    }

    public SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>First column of every row of a query, read straight from the database file.</summary>
    public List<string> QueryColumn(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return values;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }

        GC.SuppressFinalize(this);
    }
}
