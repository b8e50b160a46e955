using Microsoft.Extensions.Options;

namespace Portal.Web.Features.Serving;

public static class ServingExtensions
{
    /// <summary>The prediction endpoint's services: options, route and engine caches, the prediction log and its writer, feedback.</summary>
    public static IHostApplicationBuilder AddPortalServing(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ServingOptions>()
            .BindConfiguration(ServingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ServingRoutes>();
        services.AddSingleton<ScoringEngines>();
        services.AddSingleton<PredictionLog>();
        services.AddHostedService<PredictionLogWriter>();
        services.AddSingleton<PredictionService>();
        services.AddSingleton<FeedbackService>();
        return builder;
    }

    public static RouteGroupBuilder MapServingApi(this RouteGroupBuilder api) =>
        ServingApi.MapServingApi(api, ((IEndpointRouteBuilder)api).ServiceProvider.GetRequiredService<IOptions<ServingOptions>>());
}
