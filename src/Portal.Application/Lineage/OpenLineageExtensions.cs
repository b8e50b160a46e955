using Microsoft.Extensions.DependencyInjection;

namespace Portal.Application.Lineage;

public static class OpenLineageExtensions
{
    /// <summary>OpenLineage in and out: validated options (section <c>OpenLineage</c>), the schema, ingestion and the RunEvent emitter.</summary>
    public static IServiceCollection AddOpenLineage(this IServiceCollection services)
    {
        services.AddOptions<OpenLineageOptions>()
            .BindConfiguration(OpenLineageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<OpenLineageSchema>();
        services.AddSingleton<OpenLineageIngestion>();
        services.AddSingleton<OpenLineageRunEvents>();
        return services;
    }
}
