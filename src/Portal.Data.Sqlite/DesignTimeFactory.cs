using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Portal.Data.Sqlite;

/// <summary>Lets <c>dotnet ef</c> build the context for this provider without starting the web app.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        SqliteDatabase.Configure(options, "Data Source=design-time.db");
        return new PortalDbContext(options.Options);
    }
}
