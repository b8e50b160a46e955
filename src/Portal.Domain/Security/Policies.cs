namespace Portal.Domain.Security;

/// <summary>Policy names. Each one is a capability in <see cref="AuthorizationMatrix"/>.</summary>
public static class Policies
{
    /// <summary>Any signed-in user: home page, own profile, own API tokens.</summary>
    public const string SignedIn = "SignedIn";

    /// <summary>Manage users, roles and other people's tokens.</summary>
    public const string ManageUsers = "ManageUsers";

    /// <summary>Read, search and export the audit trail; verify the hash chain.</summary>
    public const string ReadAudit = "ReadAudit";

    /// <summary>Same people as <see cref="ManageUsers"/>, but for changes made through the API (write scope).</summary>
    public const string ManageUsersApi = "ManageUsersApi";

    /// <summary>See datasets, experiments, runs, curves and diagnostics.</summary>
    public const string ReadExperiments = "ReadExperiments";

    /// <summary>Upload datasets, submit, cancel and log runs.</summary>
    public const string ManageExperiments = "ManageExperiments";

    /// <summary>Cancel runs: data scientists their own, administrators anyone's (<c>RunOwnership</c> decides which run).</summary>
    public const string CancelRuns = "CancelRuns";

    /// <summary>Revoke one's own tokens through the API (write scope).</summary>
    public const string ManageOwnTokens = "ManageOwnTokens";

    /// <summary>Configure webhooks, read their deliveries, retry a failed delivery (administrators).</summary>
    public const string ManageWebhooks = "ManageWebhooks";

    /// <summary>Same people as <see cref="ManageWebhooks"/>, for changes made through the API (write scope).</summary>
    public const string ManageWebhooksApi = "ManageWebhooksApi";
}
