using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Portal.Data;
using Portal.Data.Postgres;
using Portal.Data.Sqlite;
using Portal.Domain.Datasets;
using Portal.Domain.Experiments;
using Portal.Domain.Runs;

namespace Portal.Web.Tests.Hosting;

/// <summary>Both providers' migration sets stay in step with the model, and both make the audit log append-only.</summary>
public sealed class MigrationTests
{
    public static TheoryData<string> Providers() => new() { DatabaseProviders.Sqlite, DatabaseProviders.Postgres };

    [Theory]
    [MemberData(nameof(Providers))]
    public void MigrationsMatchTheModel(string provider)
    {
        using var db = Context(provider);

        Assert.False(db.Database.HasPendingModelChanges(), $"The {provider} migrations lag behind the model: add a migration to that assembly.");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void BothProvidersHaveTheSameMigrations(string provider)
    {
        using var db = Context(provider);

        var names = db.Database.GetMigrations().Select(m => m[(m.IndexOf('_') + 1)..]).ToList();

        using var sqlite = Context(DatabaseProviders.Sqlite);
        Assert.Equal(sqlite.Database.GetMigrations().Select(m => m[(m.IndexOf('_') + 1)..]), names);
    }

    [Theory]
    [InlineData(DatabaseProviders.Sqlite, "RAISE(ABORT")]
    [InlineData(DatabaseProviders.Postgres, "BEFORE UPDATE OR DELETE ON \"AuditEntries\"")]
    public void MigrationScriptMakesTheAuditLogAppendOnly(string provider, string expected)
    {
        using var db = Context(provider);

        var script = db.GetService<IMigrator>().GenerateScript();

        Assert.Contains(expected, script);
        Assert.Contains("append-only", script);
    }

    [Fact]
    public async Task RunParamsOnceDropsTheCopiesOfManagedRunsHyperparametersAndKeepsTagsAndWhatExternalRunsLogged()
    {
        var file = Path.Combine(Path.GetTempPath(), $"portal-migration-{Guid.NewGuid():N}.db");
        try
        {
            var options = new DbContextOptionsBuilder<PortalDbContext>();
            SqliteDatabase.Configure(options, $"Data Source={file};Pooling=False");
            await using var db = new PortalDbContext(options.Options);
            var migrator = db.GetService<IMigrator>();
            var migrations = db.Database.GetMigrations().ToList();
            await migrator.MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith("_RunParamsOnce", StringComparison.Ordinal)) - 1]);
            // The runs' experiments and dataset versions do not matter here.
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = OFF");
            var now = DateTimeOffset.UtcNow;
            var managed = Run.SubmitManaged(new ExperimentId(Guid.NewGuid()), new DatasetVersionId(Guid.NewGuid()), new string('a', 64), MlTask.Binary, "LightGbm", "label",
                new Dictionary<string, double> { ["numberOfIterations"] = 30 }, 0.2, 42, "user-1", "scientist", now);
            var external = Run.StartExternal(new ExperimentId(Guid.NewGuid()), null, null, null, null, null, "user-1", "scientist", now);
            db.Runs.AddRange(managed, external);
            db.RunParams.AddRange(
                new RunParam { RunId = managed.Id, Key = "numberOfIterations", Value = "30" },
                new RunParam { RunId = managed.Id, Key = "validationFraction", Value = "0.2" },
                new RunParam { RunId = managed.Id, Key = "seed", Value = "42" },
                new RunParam { RunId = managed.Id, IsTag = true, Key = "mlnet.version", Value = "5.0.1" },
                new RunParam { RunId = external.Id, Key = "seed", Value = "7" });
            // Today's save records lineage edges, a table this old schema does not have yet: give it a stand-in for the seed only.
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TABLE LineageEdges (Id INTEGER PRIMARY KEY AUTOINCREMENT, FromKind TEXT NOT NULL, FromId TEXT NOT NULL, ToKind TEXT NOT NULL, ToId TEXT NOT NULL, Kind TEXT NOT NULL, CreatedUtc TEXT NOT NULL)");
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlRawAsync("DROP TABLE LineageEdges");

            await migrator.MigrateAsync();

            var left = await db.RunParams.AsNoTracking().OrderBy(p => p.Key).Select(p => new { p.RunId, p.Key }).ToListAsync();
            Assert.Equal([new { RunId = managed.Id, Key = "mlnet.version" }, new { RunId = external.Id, Key = "seed" }], left);
            Assert.Equal(30, (await db.Runs.AsNoTracking().SingleAsync(r => r.Id == managed.Id)).Hyperparameters["numberOfIterations"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static PortalDbContext Context(string provider)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        if (provider == DatabaseProviders.Postgres)
        {
            PostgresDatabase.Configure(options, "Host=127.0.0.1;Database=unused;Username=unused");
        }
        else
        {
            SqliteDatabase.Configure(options, "Data Source=:memory:");
        }

        return new PortalDbContext(options.Options);
    }
}
