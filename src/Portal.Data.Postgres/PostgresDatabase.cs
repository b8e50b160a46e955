using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Data.Postgres;

/// <summary>Scale-out: PostgreSQL through Npgsql, migrations from this assembly.</summary>
public static class PostgresDatabase
{
    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString,
            npgsql => npgsql.MigrationsAssembly(typeof(PostgresDatabase).Assembly.GetName().Name))
            .AddInterceptors(new PostgresLiveEventOrder());

    /// <summary>For a process that tails the outbox: wakes the tail on PostgreSQL's NOTIFY (inert on SQLite).</summary>
    public static IServiceCollection AddPostgresLiveEventListener(this IServiceCollection services) =>
        services.AddHostedService<PostgresLiveEventListener>();
}
