using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Portal.Data;
using Portal.Data.Postgres;
using Portal.Data.Sqlite;

namespace Portal.Web.Tests.Security;

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
