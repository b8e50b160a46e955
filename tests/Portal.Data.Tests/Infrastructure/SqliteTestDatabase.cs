using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Data.Live;
using Portal.Data.Sqlite;

namespace Portal.Data.Tests.Infrastructure;

/// <summary>
/// A real SQLite file in a temp folder, migrated as the hosts migrate it (WAL, then the Sqlite provider's migrations),
/// for one test class. <see cref="Factory"/> is this process's context factory (its commits wake <see cref="Signal"/>,
/// as in a host); <see cref="OtherProcess"/> writes to the same file as a standalone worker or another web node would.
/// Used by Portal.Data.Tests and, linked, by Portal.Worker.Tests.
/// </summary>
public sealed class SqliteTestDatabase : IAsyncLifetime
{
    public SqliteTestDatabase()
    {
        Folder = Directory.CreateTempSubdirectory("portal-sqlite-tests-").FullName;
        ConnectionString = SqliteDatabase.DefaultConnectionString(Folder);
        Factory = CreateFactory(Signal);
        OtherProcess = CreateFactory();
    }

    /// <summary>The temp folder that holds the database; artifact stores of the test class may live beside it.</summary>
    public string Folder { get; }

    public string ConnectionString { get; }

    public LiveEventSignal Signal { get; } = new();

    public IDbContextFactory<PortalDbContext> Factory { get; }

    public IDbContextFactory<PortalDbContext> OtherProcess { get; }

    /// <summary>A factory over the same file with extra interceptors (to stage a race or a failure at an exact point).</summary>
    public IDbContextFactory<PortalDbContext> CreateFactory(params IInterceptor[] interceptors)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        SqliteDatabase.Configure(options, ConnectionString);
        if (interceptors.Length > 0)
        {
            options.AddInterceptors(interceptors);
        }

        return new Contexts(options.Options);
    }

    public async Task InitializeAsync()
    {
        await using var db = await Factory.CreateDbContextAsync();
        await SqliteDatabase.PrepareAsync(db, CancellationToken.None);
        await db.Database.MigrateAsync();
    }

    /// <summary>Empties the tables tests fill, so that a test of the queue sees only its own runs.</summary>
    public async Task ResetAsync()
    {
        await using var db = await Factory.CreateDbContextAsync();
        await db.Runs.ExecuteDeleteAsync();
        await db.DatasetColumns.ExecuteDeleteAsync();
        await db.DatasetVersions.ExecuteDeleteAsync();
        await db.Datasets.ExecuteDeleteAsync();
        await db.Experiments.ExecuteDeleteAsync();
        await db.LiveEvents.ExecuteDeleteAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    private sealed class Contexts(DbContextOptions<PortalDbContext> options) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => new(options);
    }
}
