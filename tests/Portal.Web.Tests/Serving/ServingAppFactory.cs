using Microsoft.AspNetCore.Hosting;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Serving;

/// <summary>The app with a fast route refresh; optionally on another factory's database folder, as a second web node on the same database.</summary>
public class ServingAppFactory : PortalAppFactory
{
    public ServingAppFactory()
    {
    }

    internal ServingAppFactory(string sharedDataDirectory, string? role = null)
    {
        SharedDataDirectory = sharedDataDirectory;
        Role = role;
    }

    public string? Role { get; }

    public string? SharedDataDirectory { get; }

    public string Directory => SharedDataDirectory ?? DataDirectory;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (SharedDataDirectory is not null)
        {
            builder.UseSetting("Database:DataDirectory", SharedDataDirectory);
        }

        builder.UseSetting("Serving:RouteRefreshMilliseconds", "100");
        if (Role is not null)
        {
            builder.UseSetting("Hosting:Role", Role);
        }
    }
}
