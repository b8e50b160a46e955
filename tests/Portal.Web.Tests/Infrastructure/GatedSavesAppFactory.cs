using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>The real app whose database saves a test can hold (<see cref="SaveGate"/>), to act while a submit is still saving.</summary>
public sealed class GatedSavesAppFactory : PortalAppFactory
{
    public SaveGate Saves { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.ConfigureDbContext<PortalDbContext>(options => options.AddInterceptors(Saves)));
    }
}
