using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Sqlite;

/// <summary>The embedded default: SQLite in WAL mode with a busy timeout, migrations from this assembly.</summary>
public static class SqliteDatabase
{
    public static void Configure(DbContextOptionsBuilder options, string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 30, Pooling = true };
        options.UseSqlite(builder.ConnectionString,
                sqlite => sqlite.MigrationsAssembly(typeof(SqliteDatabase).Assembly.GetName().Name))
            .AddInterceptors(new SqliteConnectionSetup(builder.DefaultTimeout * 1000));
    }

    public static string DefaultConnectionString(string dataDirectory) =>
        new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "portal.db") }.ConnectionString;

    /// <summary>WAL lets readers (pages, verify) run while the worker writes; it is a property of the file, set once.</summary>
    public static async Task PrepareAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.GetDbConnection().DataSource is { Length: > 0 } file && Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
