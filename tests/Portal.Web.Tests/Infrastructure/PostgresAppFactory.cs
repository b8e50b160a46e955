using Microsoft.AspNetCore.Hosting;
using Xunit;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>
/// The real app on PostgreSQL (the scale-out provider): a private server started for the test class, a fresh
/// database migrated by the app on start, otherwise the same settings as <see cref="PortalAppFactory"/>.
/// </summary>
public class PostgresAppFactory : PortalAppFactory, IAsyncLifetime
{
    private readonly PostgresServer? _shared;
    private PostgresServer? _server;
    private string? _connectionString;

    public PostgresAppFactory()
    {
    }

    /// <summary>A fresh database on a server the caller started and stops: several portals, one server.</summary>
    internal PostgresAppFactory(PostgresServer shared) => _shared = shared;

    public async Task InitializeAsync()
    {
        if (_shared is not null)
        {
            _connectionString = await _shared.CreateDatabaseAsync($"portal_{Guid.NewGuid():N}");
            return;
        }

        _server = await PostgresServer.StartAsync();
        _connectionString = await _server.CreateDatabaseAsync("portal");
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Database:Provider", "Postgres");
        builder.UseSetting("Database:ConnectionString", _connectionString ?? throw new InvalidOperationException("The PostgreSQL server has not started."));
    }
}
