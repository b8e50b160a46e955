using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Data.Webhooks;
using Portal.Domain.Audit;
using Portal.Application.Rollouts;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Security;
using Portal.Domain.Webhooks;

namespace Portal.Application.Registry;

/// <summary>A data scientist's request to move a version of a model to Staging or Production, with why.</summary>
public sealed record RequestPromotion(string? Model, int Version, ModelStage TargetStage, string? Justification);

/// <summary>Where a request stands after a decision: its status, the approvals counted of those needed, the champion after it.</summary>
public sealed record PromotionDecision(PromotionRequestId RequestId, PromotionStatus Status, int Approvals, int RequiredApprovals, bool Counted,
    int? ChampionVersion);

/// <summary>
/// The promotion workflow: request, the worker's frozen evaluation, the DPO's sign-off and fairness acceptance, approvals,
/// rejection, an Administrator's override, re-evaluation. Who may decide what is the domain's (<see cref="PromotionRequest"/>);
/// this applies it in one transaction per decision with its audit entry (carrying the evidence hash the decider saw), the
/// champion swap on the final approval (or, for a model with a rollout policy and a champion, the start of a staged rollout that
/// swaps it when its last step passes: <see cref="RolloutDriver"/>), the staleness of the model's other open requests and the live events. Two decisions
/// racing on one request or model: one commits, the other decides again on what is then true.
/// </summary>
public sealed class PromotionWorkflow(IDbContextFactory<PortalDbContext> dbFactory, AuditTrail audit, IOptions<RegistryOptions> options, TimeProvider time)
{
    private static readonly PromotionStatus[] Open = [PromotionStatus.Evaluating, PromotionStatus.Pending, PromotionStatus.Blocked, PromotionStatus.Stale];

    public Task<OperationResult<PromotionRequest>> RequestAsync(RequestPromotion command, AuditActor actor, IReadOnlyCollection<string> roles,
        CancellationToken cancellationToken) =>
        RegistryConcurrency.RetryAsync<PromotionRequest>(dbFactory, async db =>
        {
            ArgumentNullException.ThrowIfNull(command);
            if (!AuthorizationMatrix.IsAllowed(Policies.ManageModels, roles))
            {
                return OperationResult<PromotionRequest>.Fail(OperationStatus.Forbidden, "Only a data scientist may request a promotion.");
            }

            var model = await ModelRegistry.FindAsync(db, command.Model, cancellationToken);
            if (model is null)
            {
                return ModelRegistry.NoModel<PromotionRequest>(command.Model);
            }

            var version = model.FindVersion(command.Version);
            if (version is null)
            {
                return OperationResult<PromotionRequest>.Fail(OperationStatus.NotFound, $"Model {model.Name} has no version {command.Version}.");
            }

            if (PromotionRequest.RequestProblem(model, version, command.TargetStage, command.Justification) is { } refusal)
            {
                return RegistryRefusals.Fail<PromotionRequest>(refusal);
            }

            var open = await db.PromotionRequests.AsNoTracking()
                .FirstOrDefaultAsync(r => r.VersionId == version.Id && r.TargetStage == command.TargetStage && Open.Contains(r.Status), cancellationToken);
            if (open is not null)
            {
                return OperationResult<PromotionRequest>.Fail(OperationStatus.Conflict,
                    $"Version {version.Number} of {model.Name} already has an open request to {command.TargetStage} ({open.Id}, {open.Status}).");
            }

            var now = time.GetUtcNow();
            var request = PromotionRequest.Create(model, version, command.TargetStage, command.Justification!, actor.Id, now);
            db.PromotionRequests.Add(request);
            db.PromotionEvaluationJobs.Add(PromotionEvaluationJob.Queue(request.Id, now));
            RegistryConcurrency.Touch(db, model);
            audit.Record(db, actor, AuditActions.PromotionRequested, AuditSubject.PromotionRequest(request.Id),
                new { model = model.Name, version = version.Number, targetStage = command.TargetStage.ToString(), justification = request.Justification });
            db.PublishPromotionChanged(request, model.Name, now);
            await NotifyAsync(db, WebhookEventTypes.PromotionRequested, request, model, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return OperationResult<PromotionRequest>.Ok(request);
        }, cancellationToken);

    /// <summary>
    /// A BusinessManager approves on the evidence they saw (<paramref name="evidenceHashSeen"/>; null takes the current
    /// snapshot, for API clients that read the request first). A refusal is audited. The approval completing the count
    /// moves the version, archives the previous champion and marks the model's other open requests stale, all at once.
    /// </summary>
    public async Task<OperationResult<PromotionDecision>> ApproveAsync(PromotionRequestId requestId, string? comment, string? evidenceHashSeen,
        AuditActor actor, IReadOnlyCollection<string> roles, CancellationToken cancellationToken)
    {
        Refusal? refused = null;
        var result = await RegistryConcurrency.RetryAsync<PromotionDecision>(dbFactory, async db =>
        {
            refused = null;
            var (request, model) = await LoadAsync(db, requestId, cancellationToken);
            if (request is null || model is null)
            {
                return NoRequest<PromotionDecision>(requestId);
            }

            var seen = evidenceHashSeen ?? request.EvidenceSha256;
            var now = time.GetUtcNow();
            var approval = request.Approve(actor.Id, roles, comment, seen, now);
            if (approval.Refusal is { } refusal)
            {
                refused = refusal;
                return RegistryRefusals.Fail<PromotionDecision>(refusal);
            }

            RegistryConcurrency.Touch(db, request);
            audit.Record(db, actor, AuditActions.PromotionApproved, AuditSubject.PromotionRequest(request.Id),
                new
                {
                    model = model.Name, version = request.VersionNumber, evidenceSha256 = seen, comment = comment ?? "", counted = approval.Counted,
                    approvals = request.ApprovalCount, required = request.RequiredApprovals,
                });
            if (approval.Transition is { } transition)
            {
                if (transition.TargetStage == ModelStage.Production
                    && await db.Rollouts.AsNoTracking().Where(r => r.ModelId == model.Id && (r.State == RolloutState.Running || r.State == RolloutState.Paused))
                        .Select(r => new { r.CanaryVersionNumber, r.StepIndex, r.CanaryPercent }).FirstOrDefaultAsync(cancellationToken) is { } running)
                {
                    return OperationResult<PromotionDecision>.Fail(OperationStatus.Conflict,
                        $"Model {model.Name} is rolling out version {running.CanaryVersionNumber} (step {running.StepIndex + 1}, canary at {running.CanaryPercent} %); a model has one rollout at a time. Approve this promotion when it has completed, been rolled back or aborted.");
                }

                if (transition.TargetStage == ModelStage.Production && model.RolloutPolicy is { } policy && model.Champion is not null)
                {
                    // Staged: the champion keeps its place and the approved version takes the first step's share of traffic.
                    if (Rollout.StartProblem(model, transition, policy) is { } cannotStart)
                    {
                        return RegistryRefusals.Fail<PromotionDecision>(cannotStart);
                    }

                    var rollout = Rollout.Start(model, transition, policy, now);
                    db.Rollouts.Add(rollout);
                    RegistryConcurrency.Touch(db, model);
                    var started = $"Rollout of version {rollout.CanaryVersionNumber} against champion {rollout.BaselineVersionNumber} started: {policy.Describe()} Canary at {rollout.CanaryPercent} %.";
                    audit.Record(db, actor, AuditActions.RolloutStarted, AuditSubject.Rollout(rollout.Id),
                        new
                        {
                            model = model.Name, requestId = request.Id.ToString(), baselineVersion = rollout.BaselineVersionNumber, canaryVersion = rollout.CanaryVersionNumber,
                            steps = policy.Steps, policy = policy.Describe(),
                        });
                    db.PublishRolloutChanged(rollout, started, now);
                    db.PublishModelChanged(model, $"rolling out version {rollout.CanaryVersionNumber}", now);
                    await NotifyAsync(db, WebhookEventTypes.PromotionApproved, request, model, now, cancellationToken);
                    await db.NotifyRolloutAsync(WebhookEventTypes.RolloutStarted, rollout, model.Name, started, now, cancellationToken);
                    db.PublishPromotionChanged(request, model.Name, now);
                    await db.SaveChangesAsync(cancellationToken);
                    return OperationResult<PromotionDecision>.Ok(Decision(request, model, approval.Counted));
                }

                if (ApplyTransition(db, audit, model, transition, actor, now) is { } blocked)
                {
                    return RegistryRefusals.Fail<PromotionDecision>(blocked);
                }

                await NotifyAsync(db, WebhookEventTypes.PromotionApproved, request, model, now, cancellationToken);
                await NotifyAsync(db, WebhookEventTypes.ModelStageChanged, request, model, now, cancellationToken);

                if (transition.TargetStage == ModelStage.Production)
                {
                    await PromotionStaleness.MarkOpenRequestsStaleAsync(db, audit, actor, r => r.ModelId == model.Id && r.Id != request.Id,
                        $"Version {request.VersionNumber} became the champion: the evidence compared against the previous one.", model.Name, now, cancellationToken);
                }
            }

            db.PublishPromotionChanged(request, model.Name, now);
            await db.SaveChangesAsync(cancellationToken);
            return OperationResult<PromotionDecision>.Ok(Decision(request, model, approval.Counted));
        }, cancellationToken);

        if (refused is not null && IsAttemptPastGovernance(refused))
        {
            // Someone tried to let a model in who may not (their own request, a failed gate, stale evidence): on record.
            await audit.WriteAsync(actor, AuditActions.PromotionApprovalRefused, AuditSubject.PromotionRequest(requestId),
                new { reason = refused.Reason.ToString(), message = refused.Message, evidenceSha256 = evidenceHashSeen }, cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// Which refused approvals go on record: a role or four-eyes refusal, or an approval past a failed gate, a missing sign-off or
    /// stale evidence. A comment the text rule refuses, or a request not (or no longer) awaiting approval, is a plain 4xx that
    /// writes nothing, like every other refused input.
    /// </summary>
    private static bool IsAttemptPastGovernance(Refusal refusal) =>
        refusal.Category == RefusalCategory.Forbidden
        || refusal.Reason is RefusalReason.HardGateFailed or RefusalReason.SignOffMissing or RefusalReason.StaleEvidence;

    public Task<OperationResult<PromotionDecision>> RejectAsync(PromotionRequestId requestId, string? comment, AuditActor actor,
        IReadOnlyCollection<string> roles, CancellationToken cancellationToken) =>
        DecideAsync(requestId, actor, (request, model, now) => request.Reject(actor.Id, roles, comment, now),
            AuditActions.PromotionRejected, request => new { comment, evidenceSha256 = request.EvidenceSha256 }, cancellationToken);

    public Task<OperationResult<PromotionDecision>> SignOffAsync(PromotionRequestId requestId, bool allow, string? comment, string? evidenceHashSeen,
        AuditActor actor, IReadOnlyCollection<string> roles, CancellationToken cancellationToken) =>
        DecideAsync(requestId, actor, (request, model, now) => request.SignOff(actor.Id, roles, allow, comment, evidenceHashSeen ?? request.EvidenceSha256, now),
            AuditActions.PromotionSignedOff, request => new { allow, comment, evidenceSha256 = evidenceHashSeen ?? request.EvidenceSha256 }, cancellationToken);

    public Task<OperationResult<PromotionDecision>> AcceptFairnessBreachAsync(PromotionRequestId requestId, string? reason, string? evidenceHashSeen,
        AuditActor actor, IReadOnlyCollection<string> roles, CancellationToken cancellationToken) =>
        DecideAsync(requestId, actor,
            (request, model, now) => request.AcceptFairnessBreach(actor.Id, roles, reason, evidenceHashSeen ?? request.EvidenceSha256, now),
            AuditActions.PromotionFairnessAccepted, request => new { reason, evidenceSha256 = evidenceHashSeen ?? request.EvidenceSha256 }, cancellationToken);

    public Task<OperationResult<PromotionDecision>> OverrideAsync(PromotionRequestId requestId, string? reason, AuditActor actor,
        IReadOnlyCollection<string> roles, CancellationToken cancellationToken) =>
        DecideAsync(requestId, actor, (request, model, now) => request.Override(actor.Id, roles, reason, now),
            AuditActions.PromotionOverridden,
            request => new { reason, evidenceSha256 = request.EvidenceSha256, failedGates = request.FailedHardGates.Select(g => $"{g.Gate}: {g.Reason}").ToList() },
            cancellationToken);

    /// <summary>Sends a stale or blocked request back for a fresh evaluation: its requester, a BusinessManager or an Administrator may.</summary>
    public Task<OperationResult<PromotionDecision>> ReevaluateAsync(PromotionRequestId requestId, AuditActor actor, IReadOnlyCollection<string> roles,
        CancellationToken cancellationToken) =>
        RegistryConcurrency.RetryAsync<PromotionDecision>(dbFactory, async db =>
        {
            var (request, model) = await LoadAsync(db, requestId, cancellationToken);
            if (request is null || model is null)
            {
                return NoRequest<PromotionDecision>(requestId);
            }

            if (actor.Id != request.RequestedBy && !roles.Any(r => r is Roles.BusinessManager or Roles.Administrator))
            {
                return OperationResult<PromotionDecision>.Fail(OperationStatus.Forbidden,
                    "Only the requester, a business manager or an administrator may ask for a re-evaluation.");
            }

            var before = request.EvidenceSha256;
            if (request.Reevaluate().Refusal is { } refusal)
            {
                return RegistryRefusals.Fail<PromotionDecision>(refusal);
            }

            var now = time.GetUtcNow();
            RegistryConcurrency.Touch(db, request);
            // One save: the request, its queued job and the audit entry commit together or not at all.
            if (await db.PromotionEvaluationJobs.FirstOrDefaultAsync(j => j.RequestId == request.Id, cancellationToken) is { } job)
            {
                job.Requeue(now);
            }
            else
            {
                db.PromotionEvaluationJobs.Add(PromotionEvaluationJob.Queue(request.Id, now));
            }

            audit.Record(db, actor, AuditActions.PromotionReevaluationRequested, AuditSubject.PromotionRequest(request.Id),
                new { model = model.Name, version = request.VersionNumber, previousEvidenceSha256 = before });
            db.PublishPromotionChanged(request, model.Name, now);
            await db.SaveChangesAsync(cancellationToken);
            return OperationResult<PromotionDecision>.Ok(Decision(request, model, false));
        }, cancellationToken);

    /// <summary>
    /// The worker's evaluation: the evidence (canonical JSON) is frozen and its SHA-256 stored with the gate verdicts. Refused
    /// with a conflict when the champion the evidence compared against is no longer the champion (the worker evaluates again).
    /// </summary>
    public Task<OperationResult<PromotionDecision>> CompleteEvaluationAsync(PromotionRequestId requestId, IReadOnlyList<GateResult> gates,
        string evidenceJson, ModelVersionId? championEvaluated, AuditActor worker, CancellationToken cancellationToken, string? leaseOwner = null) =>
        RegistryConcurrency.RetryAsync<PromotionDecision>(dbFactory, async db =>
        {
            var (request, model) = await LoadAsync(db, requestId, cancellationToken);
            if (request is null || model is null)
            {
                return NoRequest<PromotionDecision>(requestId);
            }

            // A worker still finishing an evaluation that was re-queued (or taken over) meanwhile must not freeze its result.
            if (leaseOwner is not null
                && await db.PromotionEvaluationJobs.AsNoTracking().Where(j => j.RequestId == requestId).Select(j => j.LeaseOwner).FirstOrDefaultAsync(cancellationToken)
                    != leaseOwner)
            {
                return OperationResult<PromotionDecision>.Fail(OperationStatus.Conflict, "This evaluation was re-queued or taken over by another worker; its result is discarded.");
            }

            if (model.Champion?.Id != championEvaluated)
            {
                return OperationResult<PromotionDecision>.Fail(OperationStatus.Conflict, "The champion changed while the evidence was evaluated; evaluate again.");
            }

            var now = time.GetUtcNow();
            var evidence = PromotionEvidence.Freeze(request.Id, EvidenceHash.CanonicalizeJson(evidenceJson), now);
            if (request.CompleteEvaluation(gates, evidence.EvidenceSha256, model.RiskTier, options.Value.ApprovalPolicy, now).Refusal is { } refusal)
            {
                return RegistryRefusals.Fail<PromotionDecision>(refusal);
            }

            RegistryConcurrency.Touch(db, request);
            if (!await db.PromotionEvidence.AnyAsync(e => e.RequestId == request.Id && e.EvidenceSha256 == evidence.EvidenceSha256, cancellationToken))
            {
                db.PromotionEvidence.Add(evidence);
            }

            if (await db.PromotionEvaluationJobs.FirstOrDefaultAsync(j => j.RequestId == request.Id, cancellationToken) is { } job)
            {
                db.PromotionEvaluationJobs.Remove(job);
            }

            audit.Record(db, worker, AuditActions.PromotionEvaluated, AuditSubject.PromotionRequest(request.Id),
                new
                {
                    model = model.Name, version = request.VersionNumber, evidenceSha256 = evidence.EvidenceSha256, status = request.Status.ToString(),
                    gates = request.Gates.Select(g => new { gate = g.Gate.ToString(), verdict = g.Verdict.ToString() }),
                });
            db.PublishPromotionChanged(request, model.Name, now);
            await NotifyAsync(db, WebhookEventTypes.PromotionEvaluated, request, model, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return OperationResult<PromotionDecision>.Ok(Decision(request, model, false));
        }, cancellationToken);

    private Task<OperationResult<PromotionDecision>> DecideAsync(PromotionRequestId requestId, AuditActor actor,
        Func<PromotionRequest, RegisteredModel, DateTimeOffset, RegistryResult> decide, AuditAction action, Func<PromotionRequest, object> details,
        CancellationToken cancellationToken) =>
        RegistryConcurrency.RetryAsync<PromotionDecision>(dbFactory, async db =>
        {
            var (request, model) = await LoadAsync(db, requestId, cancellationToken);
            if (request is null || model is null)
            {
                return NoRequest<PromotionDecision>(requestId);
            }

            var now = time.GetUtcNow();
            var auditDetails = details(request);
            if (decide(request, model, now).Refusal is { } refusal)
            {
                return RegistryRefusals.Fail<PromotionDecision>(refusal);
            }

            RegistryConcurrency.Touch(db, request);
            if (request.Overridden && action == AuditActions.PromotionOverridden)
            {
                RegistryConcurrency.Touch(db, model);
            }

            audit.Record(db, actor, action, AuditSubject.PromotionRequest(request.Id),
                new { model = model.Name, version = request.VersionNumber, status = request.Status.ToString(), decision = auditDetails });
            db.PublishPromotionChanged(request, model.Name, now);
            if (request.Status == PromotionStatus.Rejected)
            {
                await NotifyAsync(db, WebhookEventTypes.PromotionRejected, request, model, now, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            return OperationResult<PromotionDecision>.Ok(Decision(request, model, false));
        }, cancellationToken);

    /// <summary>
    /// Applies an approved promotion to the model (<see cref="RegisteredModel.Apply"/>) in the caller's transaction, with its audit
    /// entry and the model's live event: what the final approval does at once, and what a staged rollout does when it completes.
    /// </summary>
    internal static Refusal? ApplyTransition(PortalDbContext db, AuditTrail audit, RegisteredModel model, PromotionTransition transition, AuditActor actor,
        DateTimeOffset now)
    {
        var previous = model.Champion;
        if (model.Apply(transition, now).Refusal is { } refusal)
        {
            return refusal;
        }

        RegistryConcurrency.Touch(db, model);
        var version = model.FindVersion(transition.VersionId)!;
        audit.Record(db, actor, AuditActions.ModelVersionTransitioned, AuditSubject.ModelVersion(version.Id),
            new
            {
                model = model.Name, version = version.Number, stage = version.Stage.ToString(), requestId = transition.RequestId.ToString(),
                approvedBy = transition.ApprovedBy, evidenceSha256 = transition.EvidenceSha256, overridden = transition.Overridden,
                archived = transition.TargetStage == ModelStage.Production ? previous?.Number : null,
            });
        db.PublishModelChanged(model, transition.TargetStage == ModelStage.Production ? $"version {version.Number} is the champion" : $"version {version.Number} in {version.Stage}", now);
        return null;
    }

    private static async Task<(PromotionRequest? Request, RegisteredModel? Model)> LoadAsync(PortalDbContext db, PromotionRequestId requestId,
        CancellationToken cancellationToken)
    {
        var request = await db.PromotionRequests.FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null)
        {
            return (null, null);
        }

        var model = await db.RegisteredModels.Include(m => m.Versions).FirstOrDefaultAsync(m => m.Id == request.ModelId, cancellationToken);
        return (request, model);
    }

    /// <summary>Queues the state change for every webhook that wants it, in the change's own save (delivered later, never blocking the decision).</summary>
    private static Task NotifyAsync(PortalDbContext db, string eventType, PromotionRequest request, RegisteredModel model, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        db.EnqueueWebhooksAsync(eventType, new
        {
            requestId = request.Id.ToString(),
            model = model.Name,
            version = request.VersionNumber,
            targetStage = request.TargetStage.ToString(),
            status = request.Status.ToString(),
            decidedBy = request.DecidedBy,
            evidenceHash = request.EvidenceSha256,
            champion = model.Champion?.Number,
        }, now, cancellationToken);

    private static PromotionDecision Decision(PromotionRequest request, RegisteredModel model, bool counted) =>
        new(request.Id, request.Status, request.ApprovalCount, request.RequiredApprovals, counted, model.Champion?.Number);

    private static OperationResult<T> NoRequest<T>(PromotionRequestId requestId) =>
        OperationResult<T>.Fail(OperationStatus.NotFound, $"No promotion request {requestId}.");
}
