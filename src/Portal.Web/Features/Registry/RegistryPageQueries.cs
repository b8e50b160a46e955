using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Domain.Text;

namespace Portal.Web.Features.Registry;

/// <summary>A succeeded run of the user's with a model file, not yet a version of the model: what "Register version" offers.</summary>
public sealed record RegistrableRun(RunId Id, string Experiment, string? Trainer, MlTask? Task, string? PrimaryMetric, double? PrimaryMetricValue,
    DateTime? FinishedUtc);

/// <summary>
/// What the person viewing a promotion request may do on it now, as the domain decides. A refusal is shown in words where
/// the button would be (four-eyes, a failed gate, a missing sign-off), so nobody clicks into a refusal; the use cases still
/// enforce every rule on the click.
/// </summary>
/// <param name="ShowApproval">The viewer is a business manager, or a party to the request (who is told why they may not decide).</param>
/// <param name="ApprovalRefusal">Why the viewer may not approve now; null when they may.</param>
/// <param name="SignOffRefusal">Why the data protection officer may not sign off now; null when they may (only with <paramref name="ShowSignOff"/>).</param>
/// <param name="FairnessRefusal">Why the DPO may not accept the fairness breach now; null when they may (only with <paramref name="ShowAcceptFairness"/>).</param>
/// <param name="OverrideRefusal">Why the Administrator may not override now; null when they may (only with <paramref name="ShowOverride"/>).</param>
public sealed record PromotionViewerActions(
    bool ShowApproval,
    string? ApprovalRefusal,
    bool MayReject,
    bool ShowSignOff,
    string? SignOffRefusal,
    bool ShowAcceptFairness,
    string? FairnessRefusal,
    bool ShowOverride,
    string? OverrideRefusal,
    bool MayReevaluate)
{
    public static readonly PromotionViewerActions None = new(false, null, false, false, null, false, null, false, null, false);
}

/// <summary>The registry pages' own reads beside <see cref="RegistryQueries"/>: runs to register, and what a viewer may decide.</summary>
public sealed class RegistryPageQueries(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    public const int MaxRegistrableRuns = 50;

    /// <summary>The user's succeeded runs that hold a model file and are not yet a version of <paramref name="modelName"/>, newest first.</summary>
    public async Task<IReadOnlyList<RegistrableRun>> RegistrableRunsAsync(string userId, string modelName, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var normalized = TextRule.NormalizedName(modelName ?? "");
        var registered = db.ModelVersions.Where(v => db.RegisteredModels.Any(m => m.Id == v.ModelId && m.NormalizedName == normalized)).Select(v => v.RunId);
        return await db.Runs.AsNoTracking()
            .Where(r => r.SubmittedBy == userId && r.Status == RunStatus.Succeeded && r.ModelSha256 != null && !registered.Contains(r.Id))
            .OrderByDescending(r => r.FinishedUtc)
            .Take(MaxRegistrableRuns)
            .Join(db.Experiments, r => r.ExperimentId, e => e.Id,
                (r, e) => new RegistrableRun(r.Id, e.Name, r.Trainer, r.Task, r.PrimaryMetric, r.PrimaryMetricValue, r.FinishedUtc))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// What <paramref name="viewerId"/> may do on the request now, judged by the domain on the evidence the page shows
    /// (<paramref name="evidenceShown"/>). Decisions other than approval are tried on detached copies read for the purpose,
    /// so the domain's own refusal (and its words) decides; nothing is saved.
    /// </summary>
    public async Task<PromotionViewerActions> ViewerActionsAsync(PromotionRequestId requestId, string viewerId, IReadOnlyCollection<string> roles,
        string? evidenceShown, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var request = await db.PromotionRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null)
        {
            return PromotionViewerActions.None;
        }

        var isManager = roles.Contains(Roles.BusinessManager, StringComparer.Ordinal);
        var isOfficer = roles.Contains(Roles.DataProtectionOfficer, StringComparer.Ordinal);
        var isAdministrator = roles.Contains(Roles.Administrator, StringComparer.Ordinal);
        var isParty = viewerId == request.RequestedBy || viewerId == request.RunSubmittedBy;
        var now = time.GetUtcNow();

        // A party to the request who is no manager is told the four-eyes rule rather than "only a business manager may":
        // it is what the domain answers them whatever their roles.
        var approvalRefusal = isManager || isParty
            ? request.ApprovalProblem(viewerId, isManager ? roles : [.. roles, Roles.BusinessManager], evidenceShown)?.Message
            : null;

        string? signOffRefusal = null;
        var showSignOff = isOfficer && request.SignOffRequired && !request.IsFinal;
        if (showSignOff)
        {
            signOffRefusal = await TryAsync(db, requestId, r => r.SignOff(viewerId, roles, true, "probe", evidenceShown, now), cancellationToken);
        }

        string? fairnessRefusal = null;
        var showFairness = isOfficer && request.Gates.Any(g => g.Gate == PromotionGate.Fairness && g.Verdict == GateVerdict.Failed);
        if (showFairness)
        {
            fairnessRefusal = await TryAsync(db, requestId, r => r.AcceptFairnessBreach(viewerId, roles, "probe", evidenceShown, now), cancellationToken);
        }

        string? overrideRefusal = null;
        var showOverride = isAdministrator && request.Status == PromotionStatus.Blocked;
        if (showOverride)
        {
            overrideRefusal = await TryAsync(db, requestId, r => r.Override(viewerId, roles, "probe", now), cancellationToken);
        }

        var mayReevaluate = request.Status is PromotionStatus.Stale or PromotionStatus.Blocked
            && (viewerId == request.RequestedBy || isManager || isAdministrator);
        return new PromotionViewerActions(isManager || isParty, approvalRefusal, isManager && !request.IsFinal, showSignOff, signOffRefusal, showFairness,
            fairnessRefusal, showOverride, overrideRefusal, mayReevaluate);
    }

    private static async Task<string?> TryAsync(PortalDbContext db, PromotionRequestId requestId, Func<PromotionRequest, RegistryResult> decide,
        CancellationToken cancellationToken)
    {
        var copy = await db.PromotionRequests.AsNoTracking().FirstAsync(r => r.Id == requestId, cancellationToken);
        return decide(copy).Refusal?.Message;
    }
}
