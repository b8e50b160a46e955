using Portal.Domain.Security;
using Portal.Domain.Text;

namespace Portal.Domain.Registry;

/// <summary>
/// A data scientist's request to move a model version to Staging or Production, and its whole decision: the gates the worker
/// evaluated, the SHA-256 of the frozen evidence, the DPO's sign-off, the managers' approvals, a rejection or an
/// Administrator's override. Every decision is refused with a typed <see cref="Refusal"/> unless the rules allow it:
/// four-eyes (neither the requester nor the run's submitter may decide), BusinessManagers approve, no approval past a failed
/// hard gate, a missing sign-off or stale evidence. A DPO denial rejects the request for good (an Administrator's override
/// lifts failed gates, never a data protection officer's decision).
/// </summary>
public sealed class PromotionRequest
{
    public const int MaxTextLength = 2000;

#pragma warning disable IDE0044 // Not readonly: EF Core assigns them when it reads their JSON columns.
    private List<GateResult> gates = [];
    private List<PromotionApproval> approvals = [];
    private List<DataProtectionSignOff> signOffs = [];
#pragma warning restore IDE0044

    private PromotionRequest()
    {
    }

    public PromotionRequestId Id { get; private set; }

    public RegisteredModelId ModelId { get; private set; }

    public ModelVersionId VersionId { get; private set; }

    public int VersionNumber { get; private set; }

    public ModelStage TargetStage { get; private set; }

    public string Justification { get; private set; } = "";

    public string RequestedBy { get; private set; } = "";

    public string RunSubmittedBy { get; private set; } = "";

    public DateTime RequestedUtc { get; private set; }

    public PromotionStatus Status { get; private set; }

    public IReadOnlyList<GateResult> Gates => gates;

    /// <summary>SHA-256 of the frozen evidence (<see cref="EvidenceHash"/>); null while evaluating or after the request went stale.</summary>
    public string? EvidenceSha256 { get; private set; }

    public DateTime? EvaluatedUtc { get; private set; }

    /// <summary>Distinct approvals needed, from the <see cref="ApprovalPolicy"/> and the model's risk tier at evaluation.</summary>
    public int RequiredApprovals { get; private set; }

    /// <summary>Every approval given, on any evidence; only those on the current snapshot count (<see cref="ApprovalCount"/>).</summary>
    public IReadOnlyList<PromotionApproval> Approvals => approvals;

    /// <summary>Every sign-off given, on any evidence; only one on the current snapshot counts (<see cref="CurrentSignOff"/>).</summary>
    public IReadOnlyList<DataProtectionSignOff> SignOffs => signOffs;

    /// <summary>The data's classification needs a DPO sign-off (the worker's Data protection gate said Waiting).</summary>
    public bool SignOffRequired { get; private set; }

    /// <summary>The DPO who accepted a fairness breach on the current evaluation, and why; cleared by a new evaluation.</summary>
    public string? FairnessAcceptedBy { get; private set; }

    public string? FairnessAcceptanceReason { get; private set; }

    public string? StaleReason { get; private set; }

    public string? DecidedBy { get; private set; }

    public DateTime? DecidedUtc { get; private set; }

    /// <summary>The manager's rejection comment, or the DPO's comment on a denial.</summary>
    public string? RejectionComment { get; private set; }

    /// <summary>An Administrator overrode failed gates; kept for good, even after re-evaluation.</summary>
    public bool Overridden { get; private set; }

    public string? OverriddenBy { get; private set; }

    public string? OverrideReason { get; private set; }

    public DateTime? OverriddenUtc { get; private set; }

    /// <summary>The snapshot the override was given on: it lifts the failed gates of that evidence only.</summary>
    public string? OverriddenEvidenceSha256 { get; private set; }

    public bool IsFinal => Status is PromotionStatus.Approved or PromotionStatus.Rejected;

    public int ApprovalCount => CurrentApprovals().Count();

    public DataProtectionSignOff? CurrentSignOff =>
        EvidenceSha256 is null ? null : signOffs.LastOrDefault(s => s.EvidenceSha256Seen == EvidenceSha256);

    /// <summary>The hard gates that failed on the current evidence.</summary>
    public IEnumerable<GateResult> FailedHardGates => gates.Where(g => g.BlocksApproval);

    /// <summary>What refuses this request; null when it may be made. The target must be Staging or Production and reachable from the version's stage.</summary>
    public static Refusal? RequestProblem(RegisteredModel model, ModelVersion version, ModelStage targetStage, string? justification)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (string.IsNullOrWhiteSpace(justification))
        {
            return new(RefusalReason.InvalidInput, "A justification is required: say why this version should be promoted.");
        }

        if (TextRule.FreeTextProblem("justification", justification, MaxTextLength) is { } problem)
        {
            return new(RefusalReason.InvalidInput, problem);
        }

        return model.TransitionProblem(version, targetStage);
    }

    /// <summary>A new request, evaluating. Refused (ArgumentException, with the <see cref="RequestProblem"/>) when it may not be made.</summary>
    public static PromotionRequest Create(RegisteredModel model, ModelVersion version, ModelStage targetStage, string justification, string requestedBy,
        DateTimeOffset now)
    {
        if (RequestProblem(model, version, targetStage, justification) is { } refusal)
        {
            throw new ArgumentException(refusal.Message);
        }

        return new()
        {
            Id = PromotionRequestId.New(now),
            ModelId = model.Id,
            VersionId = version.Id,
            VersionNumber = version.Number,
            TargetStage = targetStage,
            Justification = justification,
            RequestedBy = requestedBy,
            RunSubmittedBy = version.RunSubmittedBy,
            RequestedUtc = now.UtcDateTime,
            Status = PromotionStatus.Evaluating,
        };
    }

    /// <summary>
    /// The worker's evaluation is done: the gate verdicts of the five hard gates (each once) are stored with the SHA-256 of the
    /// frozen evidence; the request becomes Blocked when a hard gate failed, else Pending. A Waiting data protection gate means a
    /// DPO sign-off is required. The approval count comes from the <paramref name="policy"/> and the model's current risk tier.
    /// </summary>
    public RegistryResult CompleteEvaluation(IReadOnlyList<GateResult> hardGates, string evidenceSha256, RiskTier riskTier, ApprovalPolicy policy,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(hardGates);
        ArgumentNullException.ThrowIfNull(policy);
        if (Status != PromotionStatus.Evaluating)
        {
            return RegistryResult.Refused(RefusalReason.WrongState, $"The request is {Status}, not being evaluated; its evaluation result is discarded.");
        }

        if (evidenceSha256 is null || !VersionRegistration.Sha256Hex().IsMatch(evidenceSha256))
        {
            return RegistryResult.Refused(RefusalReason.InvalidInput, "The evidence SHA-256 must be 64 lower-case hexadecimal characters.");
        }

        var expected = Enum.GetValues<PromotionGate>().Where(g => g != PromotionGate.HumanApproval).ToHashSet();
        if (hardGates.Count != expected.Count || !hardGates.Select(g => g.Gate).ToHashSet().SetEquals(expected))
        {
            return RegistryResult.Refused(RefusalReason.InvalidInput, $"The evaluation must give each hard gate once: {string.Join(", ", expected)}.");
        }

        if (hardGates.Select(g => g.Problem()).FirstOrDefault(p => p is not null) is { } problem)
        {
            return RegistryResult.Refused(RefusalReason.InvalidInput, problem);
        }

        gates.Clear();
        gates.AddRange(hardGates.OrderBy(g => g.Gate));
        EvidenceSha256 = evidenceSha256;
        EvaluatedUtc = now.UtcDateTime;
        RequiredApprovals = policy.RequiredFor(riskTier);
        SignOffRequired = hardGates.Single(g => g.Gate == PromotionGate.DataProtection).Verdict == GateVerdict.Waiting;
        StaleReason = null;
        FairnessAcceptedBy = null;
        FairnessAcceptanceReason = null;
        UpdateHumanApprovalGate();
        Status = IsBlocked() ? PromotionStatus.Blocked : PromotionStatus.Pending;
        return RegistryResult.Done;
    }

    /// <summary>
    /// The evidence changed after it was frozen (a new champion, a changed classification or hold-out, a changed risk tier):
    /// approval is refused until <see cref="Reevaluate"/> and a new evaluation. Approvals and sign-offs given so far stay on
    /// record but no longer count.
    /// </summary>
    public RegistryResult MarkStale(string reason)
    {
        if (string.IsNullOrWhiteSpace(reason) || TextRule.FreeTextProblem("reason", reason, MaxTextLength) is not null)
        {
            return RegistryResult.Refused(RefusalReason.InvalidInput, TextRule.FreeTextProblem("reason", reason, MaxTextLength) ?? "Say what changed in the evidence.");
        }

        if (IsFinal)
        {
            return RegistryResult.Refused(RefusalReason.WrongState, $"The request is already {Status.ToString().ToLowerInvariant()}; its evidence stays as decided on.");
        }

        Status = PromotionStatus.Stale;
        StaleReason = reason;
        EvidenceSha256 = null;
        return RegistryResult.Done;
    }

    /// <summary>Sends a stale or blocked request back to the worker for a fresh evaluation (after the evidence changed or a blocker was fixed).</summary>
    public RegistryResult Reevaluate()
    {
        if (Status is not (PromotionStatus.Stale or PromotionStatus.Blocked))
        {
            return RegistryResult.Refused(RefusalReason.WrongState, $"Only a stale or blocked request is re-evaluated; this one is {Status}.");
        }

        Status = PromotionStatus.Evaluating;
        EvidenceSha256 = null;
        gates.Clear();
        return RegistryResult.Done;
    }

    /// <summary>Whether <paramref name="approverId"/> may approve now, and if not, why (the UI shows the reason instead of the button).</summary>
    public Refusal? ApprovalProblem(string approverId, IEnumerable<string> approverRoles, string? evidenceHashSeen)
    {
        if (DeciderProblem(approverId, approverRoles, Roles.BusinessManager, "Only a BusinessManager may approve a promotion.") is { } refusal)
        {
            return refusal;
        }

        switch (Status)
        {
            case PromotionStatus.Stale:
                return new(RefusalReason.StaleEvidence, $"The evidence changed since it was frozen ({StaleReason}); the request must be re-evaluated before anyone approves it.");
            case PromotionStatus.Blocked:
                return new(RefusalReason.HardGateFailed, $"A hard gate failed: {string.Join(" ", FailedHardGates.Select(g => $"{g.Gate}: {g.Reason}"))} Only an Administrator can override it.");
            case PromotionStatus.Evaluating:
                return new(RefusalReason.WrongState, "The evidence is still being evaluated.");
            case not PromotionStatus.Pending:
                return new(RefusalReason.WrongState, $"The request is already {Status.ToString().ToLowerInvariant()}.");
        }

        if (IsBlocked())
        {
            return new(RefusalReason.HardGateFailed, "A hard gate failed; only an Administrator can override it.");
        }

        if (SignOffRequired && CurrentSignOff is not { Allow: true })
        {
            return new(RefusalReason.SignOffMissing, "The training data holds personal or unclassified columns: the data protection officer must sign off first.");
        }

        return evidenceHashSeen != EvidenceSha256
            ? new(RefusalReason.StaleEvidence, "The evidence you saw is not the current evidence: reload it and decide again.")
            : null;
    }

    /// <summary>
    /// A BusinessManager approves on the evidence they saw. The same manager approving the same evidence again counts once.
    /// The approval completing the required count approves the request and yields the transition to apply to the model.
    /// </summary>
    public ApprovalResult Approve(string approverId, IEnumerable<string> approverRoles, string? comment, string? evidenceHashSeen, DateTimeOffset now)
    {
        var roles = approverRoles.ToList();
        if (ApprovalProblem(approverId, roles, evidenceHashSeen) is { } refusal)
        {
            return ApprovalResult.Refused(refusal);
        }

        if (TextRule.FreeTextProblem("comment", comment, MaxTextLength) is { } problem)
        {
            return ApprovalResult.Refused(new(RefusalReason.InvalidInput, problem));
        }

        if (CurrentApprovals().Any(a => a.ApproverId == approverId))
        {
            return new(null, false, null);
        }

        approvals.Add(new(approverId, comment ?? "", EvidenceSha256!, now.UtcDateTime));
        UpdateHumanApprovalGate();
        if (ApprovalCount < RequiredApprovals)
        {
            return new(null, true, null);
        }

        Status = PromotionStatus.Approved;
        DecidedBy = approverId;
        DecidedUtc = now.UtcDateTime;
        var transition = new PromotionTransition(Id, ModelId, VersionId, TargetStage, [.. CurrentApprovals().Select(a => a.ApproverId)], Justification,
            EvidenceSha256!, Overridden);
        return new(null, true, transition);
    }

    /// <summary>A BusinessManager rejects the request, with a mandatory comment, at any point before it is decided.</summary>
    public RegistryResult Reject(string managerId, IEnumerable<string> roles, string? comment, DateTimeOffset now)
    {
        if (!roles.Contains(Roles.BusinessManager, StringComparer.Ordinal))
        {
            return RegistryResult.Refused(RefusalReason.RoleRequired, "Only a BusinessManager may reject a promotion.");
        }

        if (CommentProblem(comment, "A comment is required: say why the promotion is rejected.") is { } refusal)
        {
            return refusal;
        }

        if (IsFinal)
        {
            return RegistryResult.Refused(RefusalReason.WrongState, $"The request is already {Status.ToString().ToLowerInvariant()}.");
        }

        Decide(PromotionStatus.Rejected, managerId, comment!, now);
        return RegistryResult.Done;
    }

    /// <summary>
    /// The data protection officer's sign-off on the current evidence. Allow lets approvals proceed; deny rejects the request
    /// for good (no override: a DPO's refusal to have the data used is a decision, not a measurement).
    /// </summary>
    public RegistryResult SignOff(string officerId, IEnumerable<string> roles, bool allow, string? comment, string? evidenceHashSeen, DateTimeOffset now)
    {
        if ((DeciderProblem(officerId, roles, Roles.DataProtectionOfficer, "Only a data protection officer may sign off a promotion.")
             ?? CommentProblem(comment, "A comment is required with a sign-off.")) is { } refusal)
        {
            return refusal;
        }

        if (Status is not (PromotionStatus.Pending or PromotionStatus.Blocked) || !SignOffRequired)
        {
            return RegistryResult.Refused(RefusalReason.WrongState, Status is PromotionStatus.Stale
                ? "The evidence changed; the request must be re-evaluated before a sign-off."
                : SignOffRequired ? $"The request is {Status.ToString().ToLowerInvariant()}." : "This request needs no data protection sign-off.");
        }

        if (evidenceHashSeen != EvidenceSha256)
        {
            return RegistryResult.Refused(RefusalReason.StaleEvidence, "The evidence you saw is not the current evidence: reload it and decide again.");
        }

        if (CurrentSignOff is not null)
        {
            return RegistryResult.Refused(RefusalReason.WrongState, "The data protection officer has already signed off this evidence.");
        }

        signOffs.Add(new(officerId, allow, comment!, EvidenceSha256!, now.UtcDateTime));
        var index = gates.FindIndex(g => g.Gate == PromotionGate.DataProtection);
        gates[index] = gates[index] with
        {
            Verdict = allow ? GateVerdict.Passed : GateVerdict.Failed,
            Reason = (allow ? "The data protection officer allowed the use of this data: " : "The data protection officer denied the use of this data: ") + comment,
        };
        if (!allow)
        {
            Decide(PromotionStatus.Rejected, officerId, comment!, now);
        }

        return RegistryResult.Done;
    }

    /// <summary>
    /// The data protection officer accepts a fairness breach on the current evidence, with a mandatory reason: the Fairness
    /// gate becomes a Warning that keeps the measured gap and the reason, and a request blocked by it alone becomes Pending.
    /// </summary>
    public RegistryResult AcceptFairnessBreach(string officerId, IEnumerable<string> roles, string? reason, string? evidenceHashSeen, DateTimeOffset now)
    {
        if ((DeciderProblem(officerId, roles, Roles.DataProtectionOfficer, "Only a data protection officer may accept a fairness breach.")
             ?? CommentProblem(reason, "A reason is required to accept a fairness breach.")) is { } refusal)
        {
            return refusal;
        }

        var index = gates.FindIndex(g => g.Gate == PromotionGate.Fairness);
        if (Status is not (PromotionStatus.Pending or PromotionStatus.Blocked) || index < 0 || gates[index].Verdict != GateVerdict.Failed)
        {
            return RegistryResult.Refused(RefusalReason.WrongState, Status == PromotionStatus.Stale
                ? "The evidence changed; the request must be re-evaluated first."
                : "There is no failed fairness gate to accept on this request.");
        }

        if (evidenceHashSeen != EvidenceSha256)
        {
            return RegistryResult.Refused(RefusalReason.StaleEvidence, "The evidence you saw is not the current evidence: reload it and decide again.");
        }

        gates[index] = gates[index] with
        {
            Verdict = GateVerdict.Warning,
            Reason = $"{gates[index].Reason} Accepted by the data protection officer on {now.UtcDateTime:yyyy-MM-dd}: {reason}",
        };
        FairnessAcceptedBy = officerId;
        FairnessAcceptanceReason = reason;
        if (Status == PromotionStatus.Blocked && !IsBlocked())
        {
            Status = PromotionStatus.Pending;
        }

        return RegistryResult.Done;
    }

    /// <summary>
    /// An Administrator overrides the failed hard gates of a blocked request, with a mandatory reason: the request becomes
    /// Pending (managers still approve, the DPO still signs off) and stays flagged for good. Four-eyes holds here too.
    /// </summary>
    public RegistryResult Override(string administratorId, IEnumerable<string> roles, string? reason, DateTimeOffset now)
    {
        if (DeciderProblem(administratorId, roles, Roles.Administrator, "Only an Administrator may override a failed gate.") is { } refusal)
        {
            return refusal;
        }

        if (CommentProblem(reason, "A reason is required to override a failed gate.") is { } invalid)
        {
            return invalid;
        }

        if (Status != PromotionStatus.Blocked)
        {
            return RegistryResult.Refused(RefusalReason.WrongState, $"Only a blocked request is overridden; this one is {Status.ToString().ToLowerInvariant()}.");
        }

        Overridden = true;
        OverriddenBy = administratorId;
        OverrideReason = reason;
        OverriddenUtc = now.UtcDateTime;
        OverriddenEvidenceSha256 = EvidenceSha256;
        Status = PromotionStatus.Pending;
        return RegistryResult.Done;
    }

    private IEnumerable<PromotionApproval> CurrentApprovals() =>
        EvidenceSha256 is null ? [] : approvals.Where(a => a.EvidenceSha256Seen == EvidenceSha256).DistinctBy(a => a.ApproverId, StringComparer.Ordinal);

    private bool IsBlocked() => FailedHardGates.Any() && !(Overridden && OverriddenEvidenceSha256 == EvidenceSha256);

    private Refusal? DeciderProblem(string deciderId, IEnumerable<string> roles, string role, string roleMessage)
    {
        if (string.IsNullOrEmpty(deciderId) || !roles.Contains(role, StringComparer.Ordinal))
        {
            return new(RefusalReason.RoleRequired, roleMessage);
        }

        if (string.Equals(deciderId, RequestedBy, StringComparison.Ordinal))
        {
            return new(RefusalReason.RequesterMayNotDecide, "You requested this promotion: someone else must decide it (four-eyes).");
        }

        return string.Equals(deciderId, RunSubmittedBy, StringComparison.Ordinal)
            ? new(RefusalReason.RunSubmitterMayNotDecide, "You submitted the run behind this version: someone else must decide its promotion (four-eyes).")
            : null;
    }

    private static Refusal? CommentProblem(string? text, string required) =>
        string.IsNullOrWhiteSpace(text)
            ? new(RefusalReason.InvalidInput, required)
            : TextRule.FreeTextProblem("comment", text, MaxTextLength) is { } problem ? new(RefusalReason.InvalidInput, problem) : null;

    private void Decide(PromotionStatus status, string deciderId, string comment, DateTimeOffset now)
    {
        Status = status;
        DecidedBy = deciderId;
        DecidedUtc = now.UtcDateTime;
        RejectionComment = comment;
    }

    private void UpdateHumanApprovalGate()
    {
        var count = ApprovalCount;
        var gate = new GateResult(PromotionGate.HumanApproval, count >= RequiredApprovals ? GateVerdict.Passed : GateVerdict.Waiting,
            $"{count} of {RequiredApprovals} approval{(RequiredApprovals == 1 ? "" : "s")} by a business manager.");
        var index = gates.FindIndex(g => g.Gate == PromotionGate.HumanApproval);
        if (index < 0)
        {
            gates.Add(gate);
        }
        else
        {
            gates[index] = gate;
        }
    }
}
