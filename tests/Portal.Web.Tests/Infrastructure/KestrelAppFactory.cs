using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>
/// The app served by real Kestrel on a loopback port, for what the in-memory test server does not enforce (request
/// body limits); extra configuration comes from <paramref name="settings"/>.
/// </summary>
public class KestrelAppFactory(params (string Key, string Value)[] settings) : PortalAppFactory
{
    private Uri? address;

    public Uri Address => address ??= Start();

    /// <summary>A client of the real server sending a personal API token of <paramref name="email"/> (read, write).</summary>
    public async Task<HttpClient> ClientAsync(string email, params string[] scopes)
    {
        var baseAddress = Address;
        var token = await TokenFactory.CreateAsync(Services, email,
            scopes.Length > 0 ? scopes : [Portal.Domain.Security.ApiScopes.Read, Portal.Domain.Security.ApiScopes.Write]);
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    private Uri Start()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        return new Uri(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
    }
}
