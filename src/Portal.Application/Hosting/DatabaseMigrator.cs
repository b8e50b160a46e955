using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Application.Lineage;
using Portal.Data;
using Portal.Data.Sqlite;

namespace Portal.Application.Hosting;

/// <summary>Creates the data folder and applies pending migrations of the configured provider.</summary>
public sealed class DatabaseMigrator(
    IDbContextFactory<PortalDbContext> dbFactory,
    IOptions<DatabaseOptions> options,
    IHostEnvironment environment,
    ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var database = options.Value;
        Directory.CreateDirectory(PortalDataExtensions.ResolveDataDirectory(database, environment));
        if (!database.MigrateOnStart)
        {
            logger.LogInformation("Database:MigrateOnStart is off; expecting an up-to-date schema.");
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (database.Provider == DatabaseProviders.Sqlite)
        {
            await SqliteDatabase.PrepareAsync(db, cancellationToken);
        }

        // EF Core takes a database-wide migration lock, so several nodes starting together is safe.
        await db.Database.MigrateAsync(cancellationToken);
        if (await LineageBackfill.RunAsync(dbFactory, cancellationToken) is > 0 and var edges)
        {
            logger.LogInformation("Lineage: added {Edges} edges for records saved before the graph existed.", edges);
        }

        logger.LogInformation("Database ready ({Provider}).", database.Provider);
    }
}
