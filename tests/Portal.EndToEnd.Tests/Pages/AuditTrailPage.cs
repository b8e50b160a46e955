using Microsoft.Playwright;
using Portal.EndToEnd.Tests.Infrastructure;

namespace Portal.EndToEnd.Tests.Pages;

/// <summary>The audit trail at /audit: hash-chain verification and the entry table.</summary>
public sealed class AuditTrailPage(IPage page)
{
    public const string Path = "audit";

    private const string VerifyButtonSelector = "[data-testid=verify-chain]";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Audit trail", Level = 1 });

    public ILocator VerifyResult => page.GetByTestId("verify-result");

    private ILocator VerifyButton => page.Locator(VerifyButtonSelector);

    public async Task<AuditTrailPage> GotoAsync()
    {
        await page.GotoAsync(Path);
        return this;
    }

    public async Task VerifyChainAsync()
    {
        await BlazorCircuit.WaitForInteractiveAsync(page, VerifyButtonSelector);
        await VerifyButton.ClickAsync();
    }
}
