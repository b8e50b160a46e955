using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Identity;
using Portal.Domain.Security;
using Portal.Web.Features.Datasets;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Datasets;

/// <summary>The upload panel of the datasets page, over the real <see cref="DatasetService"/>: what a user types and drops is what is uploaded.</summary>
public sealed class DatasetUploadTests : ComponentTestContext, IClassFixture<PortalAppFactory>
{
    private const string Csv = "plan,spend,churned\nbasic,20.5,no\npremium,99.9,yes\nbasic,15,no\n";

    private readonly PortalAppFactory factory;

    public DatasetUploadTests(PortalAppFactory factory)
    {
        this.factory = factory;
        Services.AddSingleton(factory.Services.GetRequiredService<DatasetService>());
    }

    [Fact]
    public async Task ANameTypedWithoutLeavingTheFieldIsUsedWhenTheFileIsDroppedAtOnce()
    {
        await SignInAsync();
        DatasetVersionDto? uploaded = null;
        var cut = Render<DatasetUpload>(p => p.Add(u => u.Uploaded, v => uploaded = v));
        var name = $"typed-{Guid.NewGuid():N}"[..14];

        cut.Find("input[data-testid=dataset-name]").Input(name); // keystrokes only: no blur, no change event
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(Csv, "plans.csv"));

        cut.WaitForAssertion(() => Assert.Equal(name, uploaded?.Name), TimeSpan.FromSeconds(10));
        Assert.Empty(cut.FindAll("[data-testid=upload-error]"));
    }

    [Fact]
    public async Task AfterAFailedAttemptTheFileInputIsANewOneSoTheSameFileCanBeChosenAgain()
    {
        await SignInAsync();
        DatasetVersionDto? uploaded = null;
        var cut = Render<DatasetUpload>(p => p.Add(u => u.Uploaded, v => uploaded = v));
        var first = cut.Find("input[type=file]");

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(Csv, "plans.csv"));

        cut.WaitForAssertion(() => Assert.Contains("Give the dataset a name. Then choose plans.csv again.", cut.Find("[data-testid=upload-error]").TextContent));
        // A browser fires no change event for the file an input already holds: only a fresh input takes it again.
        Assert.NotSame(first, cut.Find("input[type=file]"));
        var name = $"retry-{Guid.NewGuid():N}"[..14];
        cut.Find("input[data-testid=dataset-name]").Input(name);
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(Csv, "plans.csv"));
        cut.WaitForAssertion(() => Assert.Equal(name, uploaded?.Name), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task TheNameFieldShowsNoErrorBeforeAnythingIsTyped()
    {
        await SignInAsync();
        var cut = Render<DatasetUpload>();

        // Focus moving through the empty field (tabbing past it, or a click on the drop zone) is not a mistake yet.
        cut.Find("input[data-testid=dataset-name]").Blur();

        Assert.Empty(cut.FindAll(".mud-input-error"));
        Assert.DoesNotContain("Give the dataset a name", cut.Markup);
    }

    private async Task SignInAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(DemoAccounts.Scientist);
        SignInAs(user!.Id, DemoAccounts.Scientist, Roles.DataScientist);
    }
}
