using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Portal.Application.Hosting;
using Portal.Data;

namespace Portal.Application.Privacy;

public static class PrivacyServiceExtensions
{
    /// <summary>Registers the erasure index, erasure impact and marking, and retention (section <c>DataProtection</c>).</summary>
    public static IServiceCollection AddPortalPrivacy(this IServiceCollection services)
    {
        services.AddOptions<DataProtectionOptions>().BindConfiguration(DataProtectionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DataProtectionOptions>, DataProtectionOptionsValidator>();
        services.AddSingleton(s => new SubjectIndexStore(Path.Combine(DataDirectory(s), "artifacts")));
        services.AddSingleton(s => new SubjectKeyProvider(s.GetRequiredService<IOptions<DataProtectionOptions>>(), s.GetRequiredService<IHostEnvironment>(),
            DataDirectory(s)));
        services.AddSingleton<SubjectIndexer>();
        services.AddSingleton<ErasureImpact>();
        services.AddSingleton<ErasureMarking>();
        services.AddSingleton<ErasureRetrainingData>();
        services.AddSingleton<DatasetRetention>();
        return services;
    }

    private static string DataDirectory(IServiceProvider services) =>
        PortalDataExtensions.ResolveDataDirectory(services.GetRequiredService<IOptions<DatabaseOptions>>().Value, services.GetRequiredService<IHostEnvironment>());
}
