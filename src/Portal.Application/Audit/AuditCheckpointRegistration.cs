using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Portal.Application.Audit;

public static class AuditCheckpointRegistration
{
    /// <summary>Options (validated at start), the signing key, the publisher and the checkpoint use cases, for every host.</summary>
    public static IServiceCollection AddAuditCheckpoints(this IServiceCollection services)
    {
        services.AddOptions<AuditCheckpointOptions>()
            .BindConfiguration(AuditCheckpointOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditCheckpointOptions>, AuditCheckpointOptionsValidation>());
        services.TryAddSingleton<AuditCheckpointKeys>();
        services.TryAddSingleton<AuditCheckpointPublisher>();
        services.TryAddSingleton<AuditCheckpoints>();
        services.AddHostedService<AuditCheckpointKeyStartup>();
        return services;
    }
}

/// <summary>Loads (in Development: generates) the signing key and publishes its public half when the host starts, not on the
/// first request: a refused request must never be the one that writes a key file.</summary>
internal sealed class AuditCheckpointKeyStartup(AuditCheckpointKeys keys, AuditCheckpointPublisher publisher) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (keys.SigningKey is { } key)
        {
            publisher.PublishPublicKey(key.PublicKey);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
