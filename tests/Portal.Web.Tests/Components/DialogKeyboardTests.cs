using AngleSharp.Html.Dom;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Audit;
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
        var (cut, _) = await OpenAsync<ExperimentDialog>(DemoAccounts.Scientist, Roles.DataScientist);
        var name = $"kbd-{Guid.NewGuid():N}"[..14];
        cut.Find("input[data-testid=experiment-name]").Change(name);
        AssertSubmitButtonBelongsToTheForm(cut, "experiment-save");
        Assert.NotNull(cut.Find("form textarea[data-testid=experiment-description]")); // Enter there is a new line, not a submit

        await SubmitTwiceWhileTheFirstIsSavingAsync(cut);

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")));
        Assert.Equal(1, factory.Saves.Attempts); // the second Enter never reached the database (the unique name would hide it)
        await using var db = await Db();
        Assert.Equal(1, await db.Experiments.CountAsync(e => e.Name == name));
    }

    [Fact]
    public async Task EnterInTheNewTokenDialogCreatesOneTokenEvenWhenPressedTwice()
    {
        var (cut, userId) = await OpenAsync<CreateTokenDialog>(DemoAccounts.Scientist, Roles.DataScientist);
        var name = $"kbd-{Guid.NewGuid():N}"[..14];
        cut.Find("input[data-testid=token-name]").Change(name);
        AssertSubmitButtonBelongsToTheForm(cut, "token-create");

        await SubmitTwiceWhileTheFirstIsSavingAsync(cut);

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")));
        await using var db = await Db();
        Assert.Equal(1, await db.ApiTokens.CountAsync(t => t.UserId == userId && t.Name == name));
    }

    [Fact]
    public async Task TheNewUserDialogsCreateButtonSaysWhatIsMissingInsteadOfStayingSilentlyDisabled()
    {
        var (cut, _) = await OpenAsync<CreateUserDialog>(DemoAccounts.Admin, Roles.Administrator);

        Assert.False(cut.Find("button[data-testid=new-user-create]").HasAttribute("disabled"));
        AssertSubmitButtonBelongsToTheForm(cut, "new-user-create");
        await cut.Find(".mud-dialog form").SubmitAsync();

        cut.WaitForAssertion(() => Assert.Contains("Enter an email address.", cut.Find(".mud-dialog").TextContent));
        Assert.NotEmpty(cut.FindAll(".mud-dialog")); // still open, nothing created
    }

    [Fact]
    public async Task EnterInTheNewUserDialogCreatesTheUserOnceEvenWhenPressedTwice()
    {
        var (cut, _) = await OpenAsync<CreateUserDialog>(DemoAccounts.Admin, Roles.Administrator);
        var email = $"kbd-{Guid.NewGuid():N}"[..14] + "@example.com";
        cut.Find("input[data-testid=new-user-email]").Change(email);
        cut.Find("input[type=password]").Change("Keyboard-Only-2026!");

        await SubmitTwiceWhileTheFirstIsSavingAsync(cut);

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")));
        await using var db = await Db();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == AuditActions.UserCreated.Name && a.SubjectId == user.Id));
    }

    [Fact]
    public async Task EnterInTheRolesDialogSavesTheChangeOnceEvenWhenPressedTwice()
    {
        var users = factory.Services.GetRequiredService<UserAdministrationService>();
        var email = $"kbd-{Guid.NewGuid():N}"[..14] + "@example.com";
        var created = await users.CreateAsync(new CreateUserRequest(email, "", "Keyboard-Only-2026!", [Roles.DataScientist]),
            new AuditActor(ActorKind.Service, "test-setup", "test setup"), CancellationToken.None);
        var (cut, _) = await OpenAsync<EditRolesDialog>(DemoAccounts.Admin, Roles.Administrator, ("User", created.Value!));
        cut.Find($"input[data-testid=role-{Roles.BusinessManager}], [data-testid=role-{Roles.BusinessManager}] input").Change(true);
        AssertSubmitButtonBelongsToTheForm(cut, "roles-save");

        await SubmitTwiceWhileTheFirstIsSavingAsync(cut);

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")));
        await using var db = await Db();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == AuditActions.UserRolesChanged.Name && a.SubjectId == created.Value!.Id));
    }

    /// <summary>The primary button is the form's submit button (Enter in a one-line field presses it), though it sits in the dialog's actions.</summary>
    private static void AssertSubmitButtonBelongsToTheForm(IRenderedComponent<PageHost> cut, string testId)
    {
        var button = (IHtmlButtonElement)cut.Find($"button[data-testid={testId}]");
        Assert.Equal("submit", button.Type);
        Assert.NotNull(button.Form);
        Assert.Single(cut.FindAll(".mud-dialog form"));
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
    }

    private Task<PortalDbContext> Db() => factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    /// <summary>Signs in as a demo user and opens the dialog as its page does; returns the rendered host and the user's id.</summary>
    private async Task<(IRenderedComponent<PageHost> Cut, string UserId)> OpenAsync<TDialog>(string email, string role, params (string Name, object Value)[] parameters)
        where TDialog : Microsoft.AspNetCore.Components.IComponent
    {
        string userId;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
            userId = user!.Id;
            SignInAs(userId, email, role);
        }

        var dialogParameters = new DialogParameters();
        foreach (var (name, value) in parameters)
        {
            dialogParameters.Add(name, value);
        }

        var cut = RenderPage<PageHost>();
        await cut.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<TDialog>("Dialog", dialogParameters));
        cut.WaitForElement(".mud-dialog");
        return (cut, userId);
    }
}
