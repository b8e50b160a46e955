using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>bUnit with MudBlazor's services, loose JS interop, and a signed-in user with the given roles.</summary>
public abstract class ComponentTestContext : BunitContext, IAsyncLifetime
{
    protected ComponentTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<AntiforgeryStateProvider>(new FixedAntiforgery());
    }

    protected void SignIn(string email, params string[] roles) => SignInAs("user-1", email, roles);

    /// <summary>Signs in as a given user id (a real user of the app's database, for pages that tell the user's own rows apart).</summary>
    protected BunitAuthorizationContext SignInAs(string userId, string email, params string[] roles)
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized(email);
        authorization.SetRoles(roles);
        authorization.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, userId));
        return authorization;
    }

    /// <summary>Renders a page beside the popover and dialog providers MudBlazor's selects, menus and dialogs need, as the layout does.</summary>
    protected IRenderedComponent<PageHost> RenderPage<TPage>(params (string Name, object Value)[] parameters)
        where TPage : IComponent =>
        Render<PageHost>(p => p.AddChildContent(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<TPage>(2);
            foreach (var (name, value) in parameters)
            {
                builder.AddComponentParameter(3, name, value);
            }

            builder.CloseComponent();
        }));

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();

    /// <summary>Renders its child content.</summary>
    public sealed class PageHost : ComponentBase
    {
        [Parameter]
        public RenderFragment? ChildContent { get; set; }

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder) => builder.AddContent(0, ChildContent);
    }

    private sealed class FixedAntiforgery : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken GetAntiforgeryToken() => new("test-token", "__RequestVerificationToken");
    }
}
