using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Data.Audit;
using Portal.Data.Live;
using Portal.Data.Metrics;
using Portal.Data.Postgres;
using Portal.Data.Serving;
using Portal.Data.Sqlite;

namespace Portal.Application.Hosting;

/// <summary>
/// Registers the database for every host (web nodes, standalone workers). It lives here, not in Portal.Data,
/// because Portal.Application is the innermost project that knows both provider assemblies (each of which
/// depends on Portal.Data), and it sits below the hosts, so neither host needs the other to reach it.
/// </summary>
public static class PortalDataExtensions
{
    public static IHostApplicationBuilder AddPortalData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Provider != DatabaseProviders.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Database:ConnectionString is required when Database:Provider is Postgres.")
            .ValidateOnStart();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<LiveEventSignal>();
        // Read lazily so test hosts and the command line can override the connection after the builder ran.
        builder.Services.AddDbContextFactory<PortalDbContext>((services, options) =>
        {
            var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var environment = services.GetRequiredService<IHostEnvironment>();
            if (database.Provider == DatabaseProviders.Postgres)
            {
                PostgresDatabase.Configure(options, database.ConnectionString!);
            }
            else
            {
                var connectionString = string.IsNullOrWhiteSpace(database.ConnectionString)
                    ? SqliteDatabase.DefaultConnectionString(ResolveDataDirectory(database, environment))
                    : database.ConnectionString;
                SqliteDatabase.Configure(options, connectionString);
            }

            // Wakes this process's outbox tail when a transaction that wrote live events commits.
            options.AddInterceptors(services.GetRequiredService<LiveEventSignal>());
        });
        // The provider's own way of appending logged metric rows in bulk (ADR 0005).
        builder.Services.AddSingleton<MetricBatchWriter>(services =>
            services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProviders.Postgres
                ? new PostgresMetricBatchWriter()
                : new SqliteMetricBatchWriter());
        // ... and of appending logged predict requests (the serving path's log, issue 11).
        builder.Services.AddSingleton<PredictionLogBatchWriter>(services =>
            services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProviders.Postgres
                ? new PostgresPredictionLogBatchWriter()
                : new SqlitePredictionLogBatchWriter());
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddSingleton(services => new ContentAddressedStore(new ContentAddressedStoreOptions
        {
            RootDirectory = Path.Combine(
                ResolveDataDirectory(services.GetRequiredService<IOptions<DatabaseOptions>>().Value, services.GetRequiredService<IHostEnvironment>()),
                "artifacts"),
        }));
        builder.Services.AddSingleton<DatabaseMigrator>();
        return builder;
    }

    /// <summary>Applies migrations when the host starts, before any other hosted service and before the server listens.</summary>
    public static IHostApplicationBuilder AddMigrationOnStart(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<MigrationHostedService>();
        return builder;
    }

    public static string ResolveDataDirectory(DatabaseOptions options, IHostEnvironment environment) =>
        Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.DataDirectory));
}
