namespace Portal.Web.Startup;

/// <summary>Runs after the migration hosted service and before the server listens.</summary>
internal sealed class IdentitySeedHostedService(IdentitySeeder seeder, DemoDataSeeder demoData) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await seeder.EnsureRolesAsync(cancellationToken);
        await seeder.SeedDemoUsersAsync(cancellationToken);
        await demoData.SeedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
