using Bunit;
using Portal.Domain.Security;
using Portal.Web.Features.Registry;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Components.Registry;

/// <summary>The models list of a registry nobody has used yet.</summary>
public sealed class ModelsPageEmptyTests(PortalAppFactory factory) : RegistryComponentTestContext(factory), IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task AnEmptyRegistrySaysHowAModelGetsInAndOffersAScientistToRegisterOne()
    {
        await SignInAsync(DemoAccounts.Scientist, Roles.DataScientist);

        var cut = RenderPage<ModelsPage>();

        cut.WaitForAssertion(() => Assert.Contains("No model registered yet", cut.Find("[data-testid=models-empty]").TextContent), TimeSpan.FromSeconds(10));
        Assert.NotNull(cut.Find("[data-testid=register-model]"));
    }
}
