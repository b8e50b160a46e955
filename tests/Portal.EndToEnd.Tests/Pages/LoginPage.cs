using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests.Pages;

/// <summary>The static server-rendered sign-in form at /Account/Login.</summary>
public sealed class LoginPage(IPage page)
{
    public const string Path = "Account/Login";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Portal" });

    public ILocator Error => page.GetByTestId("login-error");

    private ILocator Email => page.Locator("#email");

    private ILocator Password => page.Locator("#password");

    private ILocator SubmitButton => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" });

    public async Task<LoginPage> GotoAsync()
    {
        await page.GotoAsync(Path);
        return this;
    }

    /// <summary>Fills in and submits the form; the caller checks where the browser landed.</summary>
    public async Task SubmitAsync(string email, string password)
    {
        await Email.FillAsync(email);
        await Password.FillAsync(password);
        // The form posts to itself; the server answers with a redirect (success) or the form again (failure).
        await page.RunAndWaitForResponseAsync(() => SubmitButton.ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Signs in and waits for the app shell of whatever page the sign-in led to.</summary>
    public async Task<AppShell> SignInAsync(string email, string password)
    {
        await SubmitAsync(email, password);
        var shell = new AppShell(page);
        await shell.WaitUntilInteractiveAsync();
        return shell;
    }
}
