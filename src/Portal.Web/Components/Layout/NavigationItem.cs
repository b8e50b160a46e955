using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Portal.Domain.Security;

namespace Portal.Web.Components.Layout;

/// <summary>
/// An entry of the side navigation. Its link and its policy are read from the page it points to, so the
/// navigation can never offer a page the page itself would refuse.
/// </summary>
/// <param name="Badge">A component shown beside the title (a live count), or null.</param>
public sealed record NavigationItem(string Title, string Icon, Type Page, Type? Badge = null)
{
    public string Href => Page.GetCustomAttribute<RouteAttribute>()?.Template.TrimStart('/')
        ?? throw new InvalidOperationException($"{Page.Name} has no route.");

    public string Policy => Page.GetCustomAttribute<AuthorizeAttribute>()?.Policy ?? Policies.SignedIn;

    public bool IsVisibleTo(IEnumerable<string> roles) => AuthorizationMatrix.IsAllowed(Policy, roles);
}
