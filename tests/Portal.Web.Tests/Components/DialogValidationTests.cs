using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Data.Identity;
using Portal.Domain.Security;
using Portal.Web.Features.Experiments;
using Portal.Web.Features.Tokens;
using Portal.Web.Features.Users;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Components;

/// <summary>
/// Every dialog with a form opens clean: focus passing through an empty field (the dialog's own focus handling does
/// that on opening) is not a mistake; what is typed wrong, or a submit, is.
/// </summary>
public sealed class DialogValidationTests : ComponentTestContext, IClassFixture<PortalAppFactory>
{
    private readonly PortalAppFactory factory;

    public DialogValidationTests(PortalAppFactory factory)
    {
        this.factory = factory;
        Services.AddSingleton(factory.Services.GetRequiredService<ExperimentService>());
        Services.AddSingleton(factory.Services.GetRequiredService<UserAdministrationService>());
        Services.AddSingleton(factory.Services.GetRequiredService<TokenService>());
    }

    [Fact]
    public async Task TheNewExperimentDialogShowsNoErrorBeforeAnythingIsTyped()
    {
        var cut = await OpenAsync<ExperimentDialog>(DemoAccounts.Scientist, Roles.DataScientist);

        cut.Find("input[data-testid=experiment-name]").Blur();

        AssertNoFieldError(cut);
    }

    [Fact]
    public async Task TheNewUserDialogShowsNoErrorBeforeAnythingIsTypedAndOneOnceSomethingWrongIs()
    {
        var cut = await OpenAsync<CreateUserDialog>(DemoAccounts.Admin, Roles.Administrator);

        cut.Find("input[data-testid=new-user-email]").Blur();
        cut.Find("input[type=password]").Blur();
        AssertNoFieldError(cut);

        cut.Find("input[type=password]").Change("short");
        cut.WaitForAssertion(() => Assert.Contains("12 to 128 characters.", cut.Find(".mud-input-error").TextContent));
    }

    [Fact]
    public async Task TheNewTokenDialogShowsNoErrorBeforeAnythingIsTypedAndRefusesALifetimeItWouldHaveClamped()
    {
        var cut = await OpenAsync<CreateTokenDialog>(DemoAccounts.Scientist, Roles.DataScientist);

        cut.Find("input[data-testid=token-name]").Blur();
        AssertNoFieldError(cut);

        cut.Find("input[data-testid=token-days]").Change("400");
        cut.WaitForAssertion(() => Assert.Contains("A token lives 1 to 365 days.", cut.Markup));
        Assert.Equal("400", cut.Find("input[data-testid=token-days]").GetAttribute("value"));
    }

    private static void AssertNoFieldError(IRenderedComponent<PageHost> cut)
    {
        Assert.Empty(cut.FindAll(".mud-input-error"));
        Assert.Empty(cut.FindAll(".mud-input-helper-text.mud-input-error"));
    }

    private async Task<IRenderedComponent<PageHost>> OpenAsync<TDialog>(string email, string role)
        where TDialog : Microsoft.AspNetCore.Components.IComponent
    {
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
            SignInAs(user!.Id, email, role);
        }

        var cut = RenderPage<PageHost>();
        await cut.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<TDialog>("Dialog"));
        cut.WaitForElement(".mud-dialog");
        return cut;
    }
}
