using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Portal.Data.Postgres;

/// <summary>Lets <c>dotnet ef</c> build the context for this provider; no server is contacted to add a migration.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        PostgresDatabase.Configure(options, "Host=localhost;Database=portal_design;Username=portal");
        return new PortalDbContext(options.Options);
    }
}
