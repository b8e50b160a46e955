namespace Portal.Web.Features.Serving.Simulation;

public static class DemoTrafficExtensions
{
    /// <summary>The Development traffic simulator (off unless <c>Demo:Traffic:Enabled</c>), with its validated options and HTTP client.</summary>
    public static IServiceCollection AddDemoTraffic(this IServiceCollection services)
    {
        services.AddOptions<DemoTrafficOptions>()
            .BindConfiguration(DemoTrafficOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHttpClient(DemoTrafficSimulator.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddHostedService<DemoTrafficSimulator>();
        return services;
    }
}
