using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Registry;
using Portal.Data.Live;
using Portal.Domain.Security;
using Portal.Web.Features.Datasets;
using Portal.Web.Features.Registry;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Components.Registry;

/// <summary>bUnit over a running app's registry services and live-event bus, signed in as a real demo user with chosen roles.</summary>
public abstract class RegistryComponentTestContext : ComponentTestContext
{
    protected RegistryComponentTestContext(PortalAppFactory factory)
    {
        Factory = factory;
        Seed = new RegistrySeed(factory);
        foreach (var type in new[] { typeof(RegistryQueries), typeof(RegistryPageQueries), typeof(Portal.Web.Features.Rollouts.RolloutPageQueries), typeof(Portal.Application.Rollouts.RolloutControl), typeof(ModelRegistry), typeof(PromotionWorkflow), typeof(LiveEventBus), typeof(DatasetService), typeof(Portal.Web.Features.Monitoring.RetrainingQueries), typeof(Portal.Application.Monitoring.MonitoringPolicies) })
        {
            Services.AddSingleton(type, factory.Services.GetRequiredService(type));
        }
    }

    protected PortalAppFactory Factory { get; }

    protected RegistrySeed Seed { get; }

    protected async Task SignInAsync(string email, params string[] roles)
    {
        var authorization = SignInAs(await Seed.UserIdAsync(email), email, roles);
        authorization.SetPolicies([.. AuthorizationMatrix.Capabilities.Where(c => c.IsGrantedTo(roles)).Select(c => c.Name)]);
    }
}
