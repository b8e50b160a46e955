using Portal.Domain.Datasets;
using Portal.Domain.Rollouts;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Domain.Text;

namespace Portal.Domain.Registry;

/// <summary>
/// A model under governance: its versions, its risk tier, the hold-out dataset version challengers and champion are scored
/// on, and the history of which version was in Production when. The aggregate keeps the registry's invariant: at most one
/// version in Production (the champion); promoting another archives the previous champion and closes its period in the
/// same operation.
/// </summary>
public sealed class RegisteredModel
{
    public const int MaxNameLength = 128;
    public const int MaxDescriptionLength = 2000;

    private static readonly Refusal RiskTierRefusal = new(RefusalReason.RoleRequired, "Only an Administrator or a BusinessManager may set a model's risk tier.");

    private readonly List<ModelVersion> versions = [];
    private readonly List<ProductionPeriod> productionHistory = [];

    private RegisteredModel()
    {
    }

    public RegisteredModelId Id { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>The name as uniqueness compares it (<see cref="TextRule.NormalizedName"/>): "Churn" and "churn" are one model.</summary>
    public string NormalizedName { get; private set; } = "";

    public string Description { get; private set; } = "";

    public string OwnerId { get; private set; } = "";

    public RiskTier RiskTier { get; private set; }

    /// <summary>The dataset version challenger and champion are both scored on; without one, the challenger's validation rows are used (not independent).</summary>
    public DatasetVersionId? HoldOutDatasetVersionId { get; private set; }

    public DateTime CreatedUtc { get; private set; }

    /// <summary>How approved challengers reach Production: in canary steps with analysis, or (null) at once.</summary>
    public RolloutPolicy? RolloutPolicy { get; private set; }

    /// <summary>The model's monitoring thresholds; null monitors with <see cref="Monitoring.MonitoringPolicy.Default"/>.</summary>
    public Monitoring.MonitoringPolicy? MonitoringPolicy { get; private set; }

    /// <summary>When the monitoring loop retrains the model by itself; null never.</summary>
    public Monitoring.RetrainingPolicy? RetrainingPolicy { get; private set; }

    /// <summary>An Administrator once overrode a failed gate to move a version of this model; the model page shows it for good.</summary>
    public bool HasOverriddenPromotion { get; private set; }

    public IReadOnlyList<ModelVersion> Versions => versions;

    /// <summary>Oldest first; the last period is open while its version is the champion.</summary>
    public IReadOnlyList<ProductionPeriod> ProductionHistory => productionHistory;

    /// <summary>The version in Production, or null.</summary>
    public ModelVersion? Champion => versions.SingleOrDefault(v => v.Stage == ModelStage.Production);

    /// <summary>What is wrong with the name, said so that the user can fix it; null when valid.</summary>
    public static string? NameProblem(string? name) => TextRule.NameProblem("name", name, MaxNameLength);

    /// <summary>What is wrong with the description; null when valid.</summary>
    public static string? DescriptionProblem(string? description) => TextRule.FreeTextProblem("description", description, MaxDescriptionLength);

    /// <summary>Who may set a model's risk tier: an Administrator or a BusinessManager.</summary>
    public static bool MaySetRiskTier(IEnumerable<string> roles) =>
        roles.Any(r => r is Roles.Administrator or Roles.BusinessManager);

    /// <summary>
    /// A new model; the name is trimmed. Refused (ArgumentException) for a name or description the text rule refuses,
    /// and (InvalidOperationException) for a high risk tier set by someone who may not set risk tiers.
    /// </summary>
    public static RegisteredModel Create(string name, string description, string ownerId, IEnumerable<string> ownerRoles, RiskTier riskTier,
        DateTimeOffset now)
    {
        if ((NameProblem(name) ?? DescriptionProblem(description)) is { } problem)
        {
            throw new ArgumentException(problem);
        }

        // Everyone may register a model at the default tier; choosing the tier is the managers' call.
        if (riskTier != RiskTier.Low && !MaySetRiskTier(ownerRoles))
        {
            throw new InvalidOperationException(RiskTierRefusal.Message);
        }

        return new()
        {
            Id = RegisteredModelId.New(now),
            Name = name.Trim(),
            NormalizedName = TextRule.NormalizedName(name),
            Description = description ?? "",
            OwnerId = ownerId,
            RiskTier = riskTier,
            CreatedUtc = now.UtcDateTime,
        };
    }

    /// <summary>Sets the risk tier; refused for anyone but an Administrator or a BusinessManager. Open requests need re-evaluation (their approval count changes).</summary>
    public RegistryResult ChangeRiskTier(RiskTier tier, IEnumerable<string> actorRoles)
    {
        if (!MaySetRiskTier(actorRoles))
        {
            return RiskTierRefusal;
        }

        RiskTier = tier;
        return RegistryResult.Done;
    }

    /// <summary>
    /// Sets (or, with null, clears) how approved challengers reach Production: a business decision, so a BusinessManager or an
    /// Administrator sets it, never the data scientist whose versions it governs. A running rollout keeps the policy it started with.
    /// </summary>
    public RegistryResult SetRolloutPolicy(RolloutPolicy? policy, IEnumerable<string> actorRoles)
    {
        if (!Rollout.MayControl(actorRoles))
        {
            return RegistryResult.Refused(RefusalReason.RoleRequired, "Only a business manager or an administrator may set a model's rollout policy.");
        }

        if (policy?.Problem() is { } problem)
        {
            return RegistryResult.Refused(RefusalReason.InvalidInput, problem);
        }

        RolloutPolicy = policy;
        return RegistryResult.Done;
    }

    /// <summary>Sets (or, with null, resets to the defaults) the model's monitoring thresholds.</summary>
    public RegistryResult SetMonitoringPolicy(Monitoring.MonitoringPolicy? policy, IEnumerable<string> actorRoles)
    {
        if (!AuthorizationMatrix.IsAllowed(Policies.ManageMonitoring, actorRoles))
        {
            return RegistryResult.Refused(RefusalReason.RoleRequired, "Only a data scientist, a business manager or an administrator may set a model's monitoring thresholds.");
        }

        if (policy?.Problem() is { } problem)
        {
            return RegistryResult.Refused(RefusalReason.InvalidInput, problem);
        }

        MonitoringPolicy = policy;
        return RegistryResult.Done;
    }

    /// <summary>Sets (or, with null, clears) when the monitoring loop retrains the model by itself.</summary>
    public RegistryResult SetRetrainingPolicy(Monitoring.RetrainingPolicy? policy, IEnumerable<string> actorRoles)
    {
        if (!AuthorizationMatrix.IsAllowed(Policies.ManageMonitoring, actorRoles))
        {
            return RegistryResult.Refused(RefusalReason.RoleRequired, "Only a data scientist, a business manager or an administrator may set a model's retraining policy.");
        }

        if (policy?.Problem() is { } problem)
        {
            return RegistryResult.Refused(RefusalReason.InvalidInput, problem);
        }

        RetrainingPolicy = policy;
        return RegistryResult.Done;
    }

    /// <summary>Replaces the description; only the owner words it.</summary>
    public RegistryResult Describe(string description, string byUserId)
    {
        if (byUserId != OwnerId)
        {
            return RegistryResult.Refused(RefusalReason.RoleRequired, "Only the model's owner may change its description.");
        }

        if (DescriptionProblem(description) is { } problem)
        {
            return RegistryResult.Refused(RefusalReason.InvalidInput, problem);
        }

        Description = description;
        return RegistryResult.Done;
    }

    /// <summary>
    /// Designates (or, with null, clears) the hold-out dataset version; the owner or an Administrator may. Changing it changes
    /// the evidence of every open promotion request: the application marks them stale.
    /// </summary>
    public RegistryResult DesignateHoldOut(DatasetVersionId? datasetVersionId, string byUserId, IEnumerable<string> roles)
    {
        if (byUserId != OwnerId && !roles.Contains(Roles.Administrator, StringComparer.Ordinal))
        {
            return RegistryResult.Refused(RefusalReason.RoleRequired, "Only the model's owner or an Administrator may designate its hold-out dataset version.");
        }

        HoldOutDatasetVersionId = datasetVersionId;
        return RegistryResult.Done;
    }

    /// <summary>What refuses registering a version from this run; null when it may be registered.</summary>
    public string? VersionProblem(VersionRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.Problem() is { } problem)
        {
            return problem;
        }

        return versions.FirstOrDefault(v => v.RunId == registration.RunId) is { } existing
            ? $"Run {registration.RunId} is already version {existing.Number} of model {Name}."
            : null;
    }

    /// <summary>Registers the next version (1, 2, ...), in stage None. Refused (ArgumentException) when <see cref="VersionProblem"/> says why.</summary>
    public ModelVersion RegisterVersion(VersionRegistration registration, string registeredBy, DateTimeOffset now)
    {
        if (VersionProblem(registration) is { } problem)
        {
            throw new ArgumentException(problem, nameof(registration));
        }

        var number = versions.Count == 0 ? 1 : versions.Max(v => v.Number) + 1;
        var version = ModelVersion.Create(Id, number, registration, registeredBy, now);
        versions.Add(version);
        return version;
    }

    public ModelVersion? FindVersion(ModelVersionId id) => versions.FirstOrDefault(v => v.Id == id);

    public ModelVersion? FindVersion(int number) => versions.FirstOrDefault(v => v.Number == number);

    public ModelVersion? FindVersion(RunId runId) => versions.FirstOrDefault(v => v.RunId == runId);

    /// <summary>What refuses moving <paramref name="version"/> to <paramref name="target"/> now; null when the move is possible.</summary>
    public Refusal? TransitionProblem(ModelVersion? version, ModelStage target)
    {
        if (version is null || version.ModelId != Id || !versions.Contains(version))
        {
            return new(RefusalReason.InvalidInput, $"The version is not a version of model {Name}.");
        }

        if (target is not (ModelStage.Staging or ModelStage.Production))
        {
            return new(RefusalReason.InvalidInput, "A version is promoted to Staging or Production; a champion is archived only by the next one.");
        }

        return (version.Stage, target) switch
        {
            (ModelStage.Archived, _) => new(RefusalReason.WrongState, $"Version {version.Number} is archived; an archived version is not promoted again."),
            (ModelStage.Production, _) => new(RefusalReason.WrongState, $"Version {version.Number} is already the champion."),
            (ModelStage.Staging, ModelStage.Staging) => new(RefusalReason.WrongState, $"Version {version.Number} is already in Staging."),
            _ => null,
        };
    }

    /// <summary>
    /// Makes an approved promotion happen, all or nothing: to Staging, the version moves; to Production, the previous champion
    /// (if any) is archived and its production period closed, the version becomes champion and a new period opens with who
    /// approved it, by which request, on which evidence and why.
    /// </summary>
    public RegistryResult Apply(PromotionTransition transition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(transition);
        if (transition.ModelId != Id)
        {
            return RegistryResult.Refused(RefusalReason.InvalidInput, $"The promotion is for another model than {Name}.");
        }

        var version = FindVersion(transition.VersionId);
        if (TransitionProblem(version, transition.TargetStage) is { } refusal)
        {
            return refusal;
        }

        var at = now.UtcDateTime;
        if (transition.TargetStage == ModelStage.Production)
        {
            if (Champion is { } previous)
            {
                previous.MoveTo(ModelStage.Archived, at);
                productionHistory.LastOrDefault(p => p.VersionId == previous.Id && p.IsOpen)?.Close(at);
            }

            productionHistory.Add(ProductionPeriod.Open(version!, transition, at));
        }

        version!.MoveTo(transition.TargetStage, at);
        HasOverriddenPromotion |= transition.Overridden;
        return RegistryResult.Done;
    }
}
