using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Hosting;

/// <summary>
/// Every SQLite connection the app opens waits on a locked database with SQLite's own busy handler (retrying within
/// milliseconds of the lock's release) rather than Microsoft.Data.Sqlite's 150 ms sleep-and-retry.
/// </summary>
public sealed class SqliteConnectionTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task ConnectionsCarrySqliteBusyTimeout()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

        var timeouts = await db.Database.SqlQueryRaw<int>("SELECT timeout AS Value FROM pragma_busy_timeout").ToListAsync();

        Assert.Equal([30_000], timeouts);
    }
}
