using Portal.Domain.Registry;
using Portal.Domain.Security;
using static Portal.Domain.Tests.Registry.RegistryBuilder;

namespace Portal.Domain.Tests.Registry;

public sealed class PromotionRequestTests
{
    private readonly RegisteredModel model = Model();

    private ModelVersion NewVersion() => Version(model);

    [Fact]
    public void ARequestStartsEvaluatingAndNobodyMayApproveYet()
    {
        var request = Request(model, NewVersion());

        Assert.Equal(PromotionStatus.Evaluating, request.Status);
        Assert.Equal(RefusalReason.WrongState, request.Approve(Manager, ManagerRoles, null, null, Now).Refusal?.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("because\u202Etxt.exe")]
    public void AJustificationIsRequiredAndPassesTheTextRule(string justification)
    {
        var version = NewVersion();

        Assert.Equal(RefusalReason.InvalidInput, PromotionRequest.RequestProblem(model, version, ModelStage.Production, justification)?.Reason);
        Assert.Throws<ArgumentException>(() => PromotionRequest.Create(model, version, ModelStage.Production, justification, Scientist, Now));
    }

    [Fact]
    public void EvaluationWithoutFailedGatesIsPendingWithTheEvidenceHash()
    {
        var request = Evaluated(model, NewVersion());

        Assert.Equal(PromotionStatus.Pending, request.Status);
        Assert.Equal(EvidenceA, request.EvidenceSha256);
        Assert.Equal(1, request.RequiredApprovals);
        Assert.Equal(GateVerdict.Waiting, request.Gates.Single(g => g.Gate == PromotionGate.HumanApproval).Verdict);
    }

    [Fact]
    public void AFailedHardGateBlocksAndApprovalIsRefusedWithTheGatesReason()
    {
        var request = Evaluated(model, NewVersion(), Gates(quality: GateVerdict.Failed));

        var result = request.Approve(Manager, ManagerRoles, null, EvidenceA, Now);

        Assert.Equal(PromotionStatus.Blocked, request.Status);
        Assert.Equal(RefusalReason.HardGateFailed, result.Refusal?.Reason);
        Assert.Equal(RefusalCategory.Conflict, result.Refusal?.Category);
        Assert.Contains("not better than the champion", result.Refusal!.Message);
        Assert.Equal(0, request.ApprovalCount);
    }

    [Fact]
    public void TheRequesterMayNotApprove()
    {
        var request = Evaluated(model, NewVersion());

        var result = request.Approve(Scientist, [Roles.BusinessManager, Roles.DataScientist], null, EvidenceA, Now);

        Assert.Equal(RefusalReason.RequesterMayNotDecide, result.Refusal?.Reason);
        Assert.Equal(RefusalCategory.Forbidden, result.Refusal?.Category);
        Assert.Equal(PromotionStatus.Pending, request.Status);
        Assert.Empty(request.Approvals);
    }

    [Fact]
    public void TheRunsSubmitterMayNotApprove()
    {
        var request = Evaluated(model, NewVersion());

        var result = request.Approve(Submitter, ManagerRoles, null, EvidenceA, Now);

        Assert.Equal(RefusalReason.RunSubmitterMayNotDecide, result.Refusal?.Reason);
        Assert.Equal(RefusalCategory.Forbidden, result.Refusal?.Category);
        Assert.Empty(request.Approvals);
    }

    [Theory]
    [InlineData(Roles.DataScientist)]
    [InlineData(Roles.Administrator)]
    [InlineData(Roles.DataProtectionOfficer)]
    public void OnlyABusinessManagerMayApprove(string role)
    {
        var request = Evaluated(model, NewVersion());

        var result = request.Approve(Manager, [role], null, EvidenceA, Now);

        Assert.Equal(RefusalReason.RoleRequired, result.Refusal?.Reason);
        Assert.Equal(RefusalCategory.Forbidden, result.Refusal?.Category);
    }

    [Fact]
    public void OneApprovalApprovesALowRiskRequestAndYieldsTheTransition()
    {
        var version = NewVersion();
        var request = Evaluated(model, version);

        var result = request.Approve(Manager, ManagerRoles, "fine", EvidenceA, Now);

        Assert.True(result.Succeeded);
        Assert.Equal(PromotionStatus.Approved, request.Status);
        Assert.Equal(new[] { Manager }, result.Transition!.ApprovedBy);
        Assert.Equal(version.Id, result.Transition.VersionId);
        Assert.Equal(ModelStage.Production, result.Transition.TargetStage);
        Assert.Equal(EvidenceA, result.Transition.EvidenceSha256);
        Assert.Equal(GateVerdict.Passed, request.Gates.Single(g => g.Gate == PromotionGate.HumanApproval).Verdict);
    }

    [Fact]
    public void AHighRiskRequestNeedsTwoDistinctManagersAndTheSameManagerTwiceCountsOnce()
    {
        var highRisk = Model(RiskTier.High);
        var request = Evaluated(highRisk, Version(highRisk));

        var first = request.Approve(Manager, ManagerRoles, null, EvidenceA, Now);
        var again = request.Approve(Manager, ManagerRoles, null, EvidenceA, Now);

        Assert.Equal(2, request.RequiredApprovals);
        Assert.True(first.Counted);
        Assert.True(again.Succeeded);
        Assert.False(again.Counted);
        Assert.Null(again.Transition);
        Assert.Equal(1, request.ApprovalCount);
        Assert.Equal(PromotionStatus.Pending, request.Status);

        var second = request.Approve(OtherManager, ManagerRoles, null, EvidenceA, Now);

        Assert.Equal(PromotionStatus.Approved, request.Status);
        Assert.Equal(new[] { Manager, OtherManager }, second.Transition!.ApprovedBy);
    }

    [Fact]
    public void TheApprovalCountFollowsAConfiguredPolicy()
    {
        var request = Evaluated(model, NewVersion(), policy: new ApprovalPolicy(LowRiskApprovals: 2, HighRiskApprovals: 3));

        request.Approve(Manager, ManagerRoles, null, EvidenceA, Now);

        Assert.Equal(2, request.RequiredApprovals);
        Assert.Equal(PromotionStatus.Pending, request.Status);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(2, 1)]
    public void AnImpossiblePolicyIsRefused(int low, int high) =>
        Assert.NotNull(new ApprovalPolicy(low, high).Problem());

    [Fact]
    public void ApprovalOnEvidenceOtherThanTheCurrentSnapshotIsRefusedAsStale()
    {
        var request = Evaluated(model, NewVersion());

        var result = request.Approve(Manager, ManagerRoles, null, EvidenceB, Now);

        Assert.Equal(RefusalReason.StaleEvidence, result.Refusal?.Reason);
        Assert.Equal(PromotionStatus.Pending, request.Status);
    }

    [Fact]
    public void AfterTheEvidenceWentStaleApprovalIsRefusedUntilReevaluatedAndEarlierApprovalsNoLongerCount()
    {
        var highRisk = Model(RiskTier.High);
        var request = Evaluated(highRisk, Version(highRisk));
        request.Approve(Manager, ManagerRoles, null, EvidenceA, Now);

        Assert.True(request.MarkStale("A new champion was promoted.").Succeeded);
        var refused = request.Approve(OtherManager, ManagerRoles, null, EvidenceA, Now);

        Assert.Equal(PromotionStatus.Stale, request.Status);
        Assert.Equal(RefusalReason.StaleEvidence, refused.Refusal?.Reason);
        Assert.Contains("new champion", refused.Refusal!.Message);

        Assert.True(request.Reevaluate().Succeeded);
        Assert.True(request.CompleteEvaluation(Gates(), EvidenceB, RiskTier.High, ApprovalPolicy.Default, Now).Succeeded);
        var afterReevaluation = request.Approve(OtherManager, ManagerRoles, null, EvidenceB, Now);

        Assert.True(afterReevaluation.Succeeded);
        Assert.Equal(1, request.ApprovalCount);
        Assert.Equal(PromotionStatus.Pending, request.Status);
        Assert.Equal(2, request.Approvals.Count);
    }

    [Fact]
    public void AnEvaluationFinishingAfterTheEvidenceChangedIsDiscarded()
    {
        var request = Request(model, NewVersion());
        request.MarkStale("The classification changed.");

        var result = request.CompleteEvaluation(Gates(), EvidenceA, RiskTier.Low, ApprovalPolicy.Default, Now);

        Assert.Equal(RefusalReason.WrongState, result.Refusal?.Reason);
        Assert.Equal(PromotionStatus.Stale, request.Status);
    }

    [Fact]
    public void AnEvaluationMustGiveEveryHardGateOnce()
    {
        var request = Request(model, NewVersion());

        var result = request.CompleteEvaluation(Gates().Take(4).ToList(), EvidenceA, RiskTier.Low, ApprovalPolicy.Default, Now);

        Assert.Equal(RefusalReason.InvalidInput, result.Refusal?.Reason);
        Assert.Equal(PromotionStatus.Evaluating, request.Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void ARejectionNeedsAComment(string? comment)
    {
        var request = Evaluated(model, NewVersion());

        var result = request.Reject(Manager, ManagerRoles, comment, Now);

        Assert.Equal(RefusalReason.InvalidInput, result.Refusal?.Reason);
        Assert.Equal(RefusalCategory.Invalid, result.Refusal?.Category);
        Assert.Equal(PromotionStatus.Pending, request.Status);
    }

    [Fact]
    public void AManagerRejectsWithACommentAndTheRequestIsFinal()
    {
        var request = Evaluated(model, NewVersion());

        Assert.True(request.Reject(Manager, ManagerRoles, "Not convinced by the margin.", Now).Succeeded);

        Assert.Equal(PromotionStatus.Rejected, request.Status);
        Assert.Equal("Not convinced by the margin.", request.RejectionComment);
        Assert.Equal(RefusalReason.WrongState, request.Approve(OtherManager, ManagerRoles, null, EvidenceA, Now).Refusal?.Reason);
        Assert.Equal(RefusalReason.WrongState, request.MarkStale("late").Refusal?.Reason);
    }

    [Fact]
    public void PersonalDataWaitsForTheDposSignOffBeforeApproval()
    {
        var request = Evaluated(model, NewVersion(), Gates(dataProtection: GateVerdict.Waiting));

        Assert.True(request.SignOffRequired);
        Assert.Equal(RefusalReason.SignOffMissing, request.Approve(Manager, ManagerRoles, null, EvidenceA, Now).Refusal?.Reason);
        Assert.Equal(RefusalReason.RoleRequired, request.SignOff(Manager, ManagerRoles, true, "ok", EvidenceA, Now).Refusal?.Reason);
        Assert.Equal(RefusalReason.InvalidInput, request.SignOff(Dpo, DpoRoles, true, " ", EvidenceA, Now).Refusal?.Reason);

        Assert.True(request.SignOff(Dpo, DpoRoles, true, "Lawful basis: contract.", EvidenceA, Now).Succeeded);

        Assert.Equal(GateVerdict.Passed, request.Gates.Single(g => g.Gate == PromotionGate.DataProtection).Verdict);
        Assert.True(request.Approve(Manager, ManagerRoles, null, EvidenceA, Now).Succeeded);
        Assert.Equal(PromotionStatus.Approved, request.Status);
    }

    [Fact]
    public void ADposDenialRejectsTheRequestForGood()
    {
        var request = Evaluated(model, NewVersion(), Gates(dataProtection: GateVerdict.Waiting));

        Assert.True(request.SignOff(Dpo, DpoRoles, false, "No lawful basis for the health column.", EvidenceA, Now).Succeeded);

        Assert.Equal(PromotionStatus.Rejected, request.Status);
        Assert.Equal(GateVerdict.Failed, request.Gates.Single(g => g.Gate == PromotionGate.DataProtection).Verdict);
        Assert.Equal(RefusalReason.WrongState, request.Override(Admin, AdminRoles, "Business needs it.", Now).Refusal?.Reason);
    }

    [Fact]
    public void ASignOffOnOldEvidenceIsRefused()
    {
        var request = Evaluated(model, NewVersion(), Gates(dataProtection: GateVerdict.Waiting));

        Assert.Equal(RefusalReason.StaleEvidence, request.SignOff(Dpo, DpoRoles, true, "ok", EvidenceB, Now).Refusal?.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void AnOverrideNeedsAReason(string? reason)
    {
        var request = Evaluated(model, NewVersion(), Gates(quality: GateVerdict.Failed));

        var result = request.Override(Admin, AdminRoles, reason, Now);

        Assert.Equal(RefusalReason.InvalidInput, result.Refusal?.Reason);
        Assert.Equal(PromotionStatus.Blocked, request.Status);
        Assert.False(request.Overridden);
    }

    [Theory]
    [InlineData(Roles.BusinessManager)]
    [InlineData(Roles.DataProtectionOfficer)]
    [InlineData(Roles.DataScientist)]
    public void OnlyAnAdministratorMayOverride(string role)
    {
        var request = Evaluated(model, NewVersion(), Gates(quality: GateVerdict.Failed));

        var result = request.Override(Manager, [role], "Urgent fix.", Now);

        Assert.Equal(RefusalReason.RoleRequired, result.Refusal?.Reason);
        Assert.Equal(RefusalCategory.Forbidden, result.Refusal?.Category);
        Assert.False(request.Overridden);
    }

    [Fact]
    public void AnAdministratorWhoRequestedThePromotionMayNotOverrideIt()
    {
        var request = Evaluated(model, NewVersion(), Gates(quality: GateVerdict.Failed));

        Assert.Equal(RefusalReason.RequesterMayNotDecide, request.Override(Scientist, AdminRoles, "Mine.", Now).Refusal?.Reason);
    }

    [Fact]
    public void AnOverrideLiftsTheFailedGateForManagersToApproveAndFlagsTheModelForGood()
    {
        var version = NewVersion();
        var request = Evaluated(model, version, Gates(quality: GateVerdict.Failed));

        Assert.True(request.Override(Admin, AdminRoles, "Regulator deadline; quality reviewed by hand.", Now).Succeeded);
        var approval = request.Approve(Manager, ManagerRoles, null, EvidenceA, Now);

        Assert.True(request.Overridden);
        Assert.Equal(GateVerdict.Failed, request.Gates.Single(g => g.Gate == PromotionGate.Quality).Verdict);
        Assert.True(approval.Transition!.Overridden);
        Assert.True(model.Apply(approval.Transition, Now).Succeeded);
        Assert.True(model.HasOverriddenPromotion);
        Assert.True(model.ProductionHistory.Single().Overridden);
    }

    [Fact]
    public void AnOverrideDoesNotCarryOverToNewEvidence()
    {
        var request = Evaluated(model, NewVersion(), Gates(quality: GateVerdict.Failed));
        request.Override(Admin, AdminRoles, "Reviewed.", Now);
        request.MarkStale("The hold-out changed.");
        request.Reevaluate();

        request.CompleteEvaluation(Gates(quality: GateVerdict.Failed), EvidenceB, RiskTier.Low, ApprovalPolicy.Default, Now);

        Assert.Equal(PromotionStatus.Blocked, request.Status);
        Assert.True(request.Overridden);
    }

    [Fact]
    public void AnOverrideOfARequestThatIsNotBlockedIsRefused()
    {
        var request = Evaluated(model, NewVersion());

        Assert.Equal(RefusalReason.WrongState, request.Override(Admin, AdminRoles, "Why not.", Now).Refusal?.Reason);
    }

    [Fact]
    public void TheDpoAcceptsAFairnessBreachWithAReasonAndTheRequestBecomesPending()
    {
        var request = Evaluated(model, NewVersion(), Gates(fairness: GateVerdict.Failed));

        Assert.Equal(PromotionStatus.Blocked, request.Status);
        Assert.Equal(RefusalReason.RoleRequired, request.AcceptFairnessBreach(Manager, ManagerRoles, "ok", EvidenceA, Now).Refusal?.Reason);
        Assert.Equal(RefusalReason.InvalidInput, request.AcceptFairnessBreach(Dpo, DpoRoles, "", EvidenceA, Now).Refusal?.Reason);
        Assert.Equal(RefusalReason.StaleEvidence, request.AcceptFairnessBreach(Dpo, DpoRoles, "ok", EvidenceB, Now).Refusal?.Reason);

        Assert.True(request.AcceptFairnessBreach(Dpo, DpoRoles, "The gap reflects the base rates; reviewed with legal.", EvidenceA, Now).Succeeded);

        var fairness = request.Gates.Single(g => g.Gate == PromotionGate.Fairness);
        Assert.Equal(GateVerdict.Warning, fairness.Verdict);
        Assert.Contains("four fifths", fairness.Reason);
        Assert.Contains("reviewed with legal", fairness.Reason);
        Assert.Equal(PromotionStatus.Pending, request.Status);
        Assert.True(request.Approve(Manager, ManagerRoles, null, EvidenceA, Now).Succeeded);
    }

    [Fact]
    public void AnAcceptedFairnessBreachLeavesARequestBlockedByAnotherGateBlocked()
    {
        var request = Evaluated(model, NewVersion(), Gates(quality: GateVerdict.Failed, fairness: GateVerdict.Failed));

        Assert.True(request.AcceptFairnessBreach(Dpo, DpoRoles, "Accepted.", EvidenceA, Now).Succeeded);

        Assert.Equal(PromotionStatus.Blocked, request.Status);
    }

    [Fact]
    public void TheDpoMayNotSignOffThePromotionOfTheirOwnRun()
    {
        var ownRun = Version(model, submittedBy: Dpo);
        var request = Evaluated(model, ownRun, Gates(dataProtection: GateVerdict.Waiting));

        Assert.Equal(RefusalReason.RunSubmitterMayNotDecide, request.SignOff(Dpo, DpoRoles, true, "Fine.", EvidenceA, Now).Refusal?.Reason);
    }
}
