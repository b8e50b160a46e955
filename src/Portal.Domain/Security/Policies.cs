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

    /// <summary>Classify dataset columns (personal data, special category, sensitive attribute): the data protection officer.</summary>
    public const string ClassifyData = "ClassifyData";

    /// <summary>Revoke one's own tokens through the API (write scope).</summary>
    public const string ManageOwnTokens = "ManageOwnTokens";

    /// <summary>See registered models, their versions, model cards, promotion requests and their evidence.</summary>
    public const string ReadRegistry = "ReadRegistry";

    /// <summary>Register models and versions, request promotions and their re-evaluation, edit one's model cards.</summary>
    public const string ManageModels = "ManageModels";

    /// <summary>Designate a model's hold-out dataset version: its owner (a data scientist) or an Administrator (the domain decides which model).</summary>
    public const string DesignateHoldOut = "DesignateHoldOut";

    /// <summary>Send a stale or blocked promotion request back for evaluation: its requester, a business manager or an administrator.</summary>
    public const string ReevaluatePromotions = "ReevaluatePromotions";

    /// <summary>Set a model's risk tier.</summary>
    public const string ManageModelRisk = "ManageModelRisk";

    /// <summary>Approve or reject promotion requests (four-eyes is enforced by the domain on top).</summary>
    public const string DecidePromotions = "DecidePromotions";

    /// <summary>Sign off the data behind a promotion; accept a fairness breach with a reason.</summary>
    public const string SignOffPromotions = "SignOffPromotions";

    /// <summary>Override a failed hard gate with a mandatory reason.</summary>
    public const string OverridePromotions = "OverridePromotions";

    /// <summary>Configure webhooks, read their deliveries, retry a failed delivery (administrators).</summary>
    public const string ManageWebhooks = "ManageWebhooks";

    /// <summary>Same people as <see cref="ManageWebhooks"/>, for changes made through the API (write scope).</summary>
    public const string ManageWebhooksApi = "ManageWebhooksApi";

    /// <summary>Pause, resume, abort or roll back a staged rollout by hand; set a model's rollout policy (business managers, administrators).</summary>
    public const string ManageRollouts = "ManageRollouts";

    /// <summary>Score rows with a model's serving version and post ground truth for predictions (token scope <c>predict</c>).</summary>
    public const string Predict = "Predict";

    /// <summary>See monitoring dashboards, drift, data quality and alerts.</summary>
    public const string ReadMonitoring = "ReadMonitoring";

    /// <summary>Acknowledge (with a comment) and resolve monitoring alerts.</summary>
    public const string ManageAlerts = "ManageAlerts";

    /// <summary>Set a model's monitoring thresholds and retraining policy.</summary>
    public const string ManageMonitoring = "ManageMonitoring";

    /// <summary>See the lineage graph (datasets to runs, models, promotions and deployments, and external OpenLineage jobs).</summary>
    public const string ReadLineage = "ReadLineage";

    /// <summary>Post OpenLineage events from other systems (<c>POST /api/v1/lineage</c>, write scope).</summary>
    public const string IngestLineage = "IngestLineage";

    /// <summary>The DPO's investigations: erasure impact of a data subject or dataset version, its report, the personal-data map.</summary>
    public const string AssessErasure = "AssessErasure";

    /// <summary>The DPO's acts on personal data: mark dataset versions for erasure, purge a version's content.</summary>
    public const string ManageDataProtection = "ManageDataProtection";

    /// <summary>Sign a checkpoint of the audit chain's head now (they are also signed on a schedule).</summary>
    public const string SignAuditCheckpoints = "SignAuditCheckpoints";
}
