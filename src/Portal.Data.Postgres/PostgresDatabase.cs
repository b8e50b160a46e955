using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Postgres;

/// <summary>Scale-out: PostgreSQL through Npgsql, migrations from this assembly.</summary>
public static class PostgresDatabase
{
    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString,
            npgsql => npgsql.MigrationsAssembly(typeof(PostgresDatabase).Assembly.GetName().Name))
            .AddInterceptors(new PostgresLiveEventOrder());
}
