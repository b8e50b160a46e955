using System.Net;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Experiments;

/// <summary>Addresses edited by hand into nonsense render the page with a sensible answer, never an error page.</summary>
public sealed class HandEditedAddressTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Theory]
    [InlineData("/runs?experiment=not-a-guid", "Training runs")]
    [InlineData("/runs?experiment=", "Training runs")]
    [InlineData("/datasets/0b9c6a1e-3f47-4c2a-9d7e-5d1f2a3b4c5d?version=latest", "This dataset or version does not exist.")]
    [InlineData("/datasets/0b9c6a1e-3f47-4c2a-9d7e-5d1f2a3b4c5d?version=-1", "This dataset or version does not exist.")]
    public async Task PageRendersWithItsAnswer(string address, string expected)
    {
        var browser = await BrowserSession.SignInAsync(factory, DemoAccounts.Scientist);

        var response = await browser.GetAsync(address);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }
}
