namespace Portal.Domain.Security;

/// <summary>
/// Something a user can do in Portal. The name doubles as the authorization policy name; <see cref="Roles"/>
/// empty means "any signed-in user". <see cref="Scope"/> is what an API token needs to use it.
/// </summary>
public sealed record Capability(string Name, string Description, IReadOnlyList<string> Roles, string Scope)
{
    public bool AnyAuthenticatedUser => Roles.Count == 0;

    public bool IsGrantedTo(IEnumerable<string> userRoles) =>
        AnyAuthenticatedUser || userRoles.Any(r => Roles.Contains(r, StringComparer.Ordinal));
}
