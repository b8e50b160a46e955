using AngleSharp.Html.Dom;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Security;
using Portal.Web.Features.Experiments;
using Portal.Web.Features.Tokens;
using Portal.Web.Features.Users;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Components;

/// <summary>
/// Every dialog with a form is a real form: Enter in a field submits it through its primary button (the browser's
/// implicit submission, driven here by the submit event it raises), a second Enter while the first is still saving
/// saves nothing more, and the primary button belongs to the form although it sits in the dialog's actions.
/// </summary>
public sealed class DialogKeyboardTests : ComponentTestContext, IClassFixture<GatedSavesAppFactory>
{
    private readonly GatedSavesAppFactory factory;

    public DialogKeyboardTests(GatedSavesAppFactory factory)
    {
        this.factory = factory;
        Services.AddSingleton(factory.Services.GetRequiredService<ExperimentService>());
        Services.AddSingleton(factory.Services.GetRequiredService<UserAdministrationService>());
        Services.AddSingleton(factory.Services.GetRequiredService<TokenService>());
    }

    [Fact]
    public async Task EnterInTheNewExperimentDialogCreatesTheExperimentOnceEvenWhenPressedTwice()
    {
        var cut = await OpenAsync<ExperimentDialog>(DemoAccounts.Scientist, Roles.DataScientist);
        var name = $"kbd-{Guid.NewGuid():N}"[..14];
        cut.Find("input[data-testid=experiment-name]").Change(name);
        AssertSubmitButtonBelongsToTheForm(cut, "experiment-save");
        Assert.NotNull(cut.Find("form textarea[data-testid=experiment-description]")); // Enter there is a new line, not a submit

        await SubmitTwiceWhileTheFirstIsSavingAsync(cut);

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")));
        await using var db = await Db();
        Assert.Equal(1, await db.Experiments.CountAsync(e => e.Name == name));
    }

    /// <summary>The primary button is the form's submit button (Enter in a field presses it), wherever it sits in the dialog.</summary>
    private static void AssertSubmitButtonBelongsToTheForm(IRenderedComponent<PageHost> cut, string testId)
    {
        var button = (IHtmlButtonElement)cut.Find($"button[data-testid={testId}]");
        var form = cut.Find(".mud-dialog form");
        Assert.Equal("submit", button.Type);
        // Tied by the form attribute, as it sits in the dialog's actions outside the form (AngleSharp does not resolve it into Form).
        Assert.False(string.IsNullOrEmpty(form.Id));
        Assert.Equal(form.Id, button.GetAttribute("form"));
        Assert.Single(cut.FindAll($"[id='{form.Id}']"));
    }

    /// <summary>A second Enter (a submit event, as the browser raises for Enter in a field) arriving while the first submit is still saving.</summary>
    private async Task SubmitTwiceWhileTheFirstIsSavingAsync(IRenderedComponent<PageHost> cut)
    {
        factory.Saves.Hold();
        var first = cut.Find(".mud-dialog form").SubmitAsync();
        await factory.Saves.Reached.WaitAsync(TimeSpan.FromSeconds(30));
        var second = cut.Find(".mud-dialog form").SubmitAsync();
        factory.Saves.Release();
        await Task.WhenAll(first, second);
        Assert.Equal(1, factory.Saves.Attempts);
    }

    private Task<PortalDbContext> Db() => factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

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
