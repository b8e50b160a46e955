using Microsoft.Extensions.Hosting;

namespace Portal.Application.Hosting;

internal sealed class MigrationHostedService(DatabaseMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
