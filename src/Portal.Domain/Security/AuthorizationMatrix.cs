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
        new(Policies.ClassifyData, "Classify dataset columns as personal, special-category or not personal, and mark sensitive attributes",
            [Roles.DataProtectionOfficer], ApiScopes.Write),
        new(Policies.ManageWebhooks, "List webhooks and their deliveries; create, deactivate, retry (in the browser)",
            [Roles.Administrator], ApiScopes.Read),
        new(Policies.ManageWebhooksApi, "Create and deactivate webhooks through the API",
            [Roles.Administrator], ApiScopes.Write),
        new(Policies.ManageOwnTokens, "Revoke one's own API tokens through the API", [], ApiScopes.Write),
        new(Policies.ReadRegistry, "See registered models, versions, model cards, promotion requests and their evidence",
            [Roles.DataScientist, Roles.BusinessManager, Roles.DataProtectionOfficer, Roles.Administrator], ApiScopes.Read),
        new(Policies.ManageModels, "Register models and versions; request promotions",
            [Roles.DataScientist], ApiScopes.Write),
        new(Policies.DesignateHoldOut, "Designate a model's hold-out dataset version (the model's owner, or an administrator)",
            [Roles.DataScientist, Roles.Administrator], ApiScopes.Write),
        new(Policies.ReevaluatePromotions, "Send a stale or blocked promotion request back for evaluation (its requester, a business manager or an administrator)",
            [Roles.DataScientist, Roles.BusinessManager, Roles.Administrator], ApiScopes.Write),
        new(Policies.ManageModelRisk, "Set a model's risk tier",
            [Roles.BusinessManager, Roles.Administrator], ApiScopes.Write),
        new(Policies.DecidePromotions, "Approve or reject promotion requests (never one's own request or run)",
            [Roles.BusinessManager], ApiScopes.Write),
        new(Policies.SignOffPromotions, "Sign off the data behind a promotion; accept a fairness breach with a reason",
            [Roles.DataProtectionOfficer], ApiScopes.Write),
        new(Policies.OverridePromotions, "Override a failed hard gate, with a mandatory reason",
            [Roles.Administrator], ApiScopes.Write),
        new(Policies.ManageRollouts, "Pause, resume, abort or roll back a staged rollout; set a model's rollout policy",
            [Roles.BusinessManager, Roles.Administrator], ApiScopes.Write),
        new(Policies.Predict, "Score rows with a model's production (or canary) version; post ground truth for predictions",
            [Roles.DataScientist, Roles.BusinessManager, Roles.Administrator], ApiScopes.Predict),
        new(Policies.ReadMonitoring, "See monitoring dashboards (live accuracy, drift, data quality), on-demand drift and alerts",
            [Roles.DataScientist, Roles.BusinessManager, Roles.DataProtectionOfficer, Roles.Administrator], ApiScopes.Read),
        new(Policies.ManageAlerts, "Acknowledge monitoring alerts with a comment; resolve them",
            [Roles.DataScientist, Roles.BusinessManager, Roles.Administrator], ApiScopes.Write),
        new(Policies.ManageMonitoring, "Set a model's monitoring thresholds and its retraining policy",
            [Roles.DataScientist, Roles.BusinessManager, Roles.Administrator], ApiScopes.Write),
        new(Policies.ReadLineage, "See the lineage graph from datasets to runs, models, promotions and deployments",
            [Roles.DataScientist, Roles.BusinessManager, Roles.DataProtectionOfficer, Roles.Administrator], ApiScopes.Read),
        new(Policies.IngestLineage, "Post OpenLineage events from other systems",
            [Roles.DataScientist, Roles.Administrator], ApiScopes.Write),
        new(Policies.AssessErasure, "Find every dataset version, run, model and deployment holding a data subject; export the erasure report; see the personal-data map",
            [Roles.DataProtectionOfficer], ApiScopes.Read),
        new(Policies.ManageDataProtection, "Mark dataset versions for erasure; purge a dataset version's content",
            [Roles.DataProtectionOfficer], ApiScopes.Write),
        new(Policies.SignAuditCheckpoints, "Sign a checkpoint of the audit chain now",
            [Roles.Administrator, Roles.DataProtectionOfficer], ApiScopes.Write),
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
