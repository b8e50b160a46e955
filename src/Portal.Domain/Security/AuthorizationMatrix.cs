namespace Portal.Domain.Security;

/// <summary>
/// The one declaration of which role may use which capability. Pages, API endpoints, the navigation and the
/// role-matrix tests all read it; nothing else decides who may do what.
/// </summary>
public static class AuthorizationMatrix
{
    public static readonly IReadOnlyList<Capability> Capabilities =
    [
        new(Policies.SignedIn, "Use the portal: home, own profile and own API tokens", [], ApiScopes.Read),
        new(Policies.ManageUsers, "List, create, lock and unlock users; assign roles",
            [Roles.Administrator], ApiScopes.Read),
        new(Policies.ManageUsersApi, "Create users through the API",
            [Roles.Administrator], ApiScopes.Write),
        new(Policies.ReadAudit, "Read, export and verify the audit trail",
            [Roles.Administrator, Roles.DataProtectionOfficer], ApiScopes.Read),
        new(Policies.ReadExperiments, "See datasets, experiments, runs, learning curves and diagnostics",
            [Roles.DataScientist, Roles.BusinessManager, Roles.DataProtectionOfficer], ApiScopes.Read),
        new(Policies.ManageExperiments, "Upload datasets; submit training runs, log to and end one's own",
            [Roles.DataScientist], ApiScopes.Write),
        new(Policies.CancelRuns, "Cancel runs: one's own (data scientists), anyone's (administrators, to stop a runaway job)",
            [Roles.DataScientist, Roles.Administrator], ApiScopes.Write),
        new(Policies.ManageWebhooks, "List webhooks and their deliveries; create, deactivate, retry (in the browser)",
            [Roles.Administrator], ApiScopes.Read),
        new(Policies.ManageWebhooksApi, "Create and deactivate webhooks through the API",
            [Roles.Administrator], ApiScopes.Write),
        new(Policies.ManageOwnTokens, "Revoke one's own API tokens through the API", [], ApiScopes.Write),
    ];

    private static readonly Dictionary<string, Capability> ByName =
        Capabilities.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static Capability Get(string policy) =>
        ByName.TryGetValue(policy, out var capability)
            ? capability
            : throw new KeyNotFoundException($"Policy '{policy}' is not declared in the authorization matrix.");

    public static bool Contains(string policy) => ByName.ContainsKey(policy);

    public static bool IsAllowed(string policy, IEnumerable<string> userRoles) => Get(policy).IsGrantedTo(userRoles);
}
