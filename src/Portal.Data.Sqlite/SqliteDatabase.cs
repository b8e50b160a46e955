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

    /// <summary>
    /// WAL lets readers (pages, verify) run while the worker writes; it is a property of the file, set once. A new file
    /// gets 16 KB pages (SQLite's default is 4 KB; an existing file keeps its size): the prediction log stores each
    /// request's rows and outputs, hundreds of kilobytes for a batch, and with 4 KB pages every one of them was a chain
    /// of a hundred overflow pages, each a WAL frame written and then checkpointed. The log writer alone took 1,000-row
    /// requests at 760–820 a second with 4 KB pages, 1,040–1,070 with 16 KB, and 1,090 with 64 KB, which made
    /// single-row requests slower (docs/benchmarks.md, "Serving, fifth pass").
    /// </summary>
    public static async Task PrepareAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.GetDbConnection().DataSource is { Length: > 0 } file && Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        await db.Database.ExecuteSqlRawAsync("PRAGMA page_size=16384;", cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
