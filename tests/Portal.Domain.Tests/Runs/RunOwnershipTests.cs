using Portal.Domain.Runs;
using Portal.Domain.Security;

namespace Portal.Domain.Tests.Runs;

/// <summary>One rule for every change to a run: its submitter may; an Administrator may cancel it; nobody else may.</summary>
public sealed class RunOwnershipTests
{
    public static TheoryData<RunChange> Changes() => new(Enum.GetValues<RunChange>());

    [Theory]
    [MemberData(nameof(Changes))]
    public void TheSubmitterMayMakeEveryChange(RunChange change)
    {
        var decision = RunOwnership.Decide(change, "sam", "sam", [Roles.DataScientist]);

        Assert.True(decision.Allowed);
        Assert.False(decision.ByAdministrator);
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public void APeerDataScientistMayMakeNoChangeAndIsToldWhoMay(RunChange change)
    {
        var decision = RunOwnership.Decide(change, "sam", "sasha", [Roles.DataScientist]);

        Assert.False(decision.Allowed);
        Assert.Equal(RunOwnership.WhoMay(change), decision.Refusal);
        Assert.StartsWith("Only the run's submitter", decision.Refusal);
    }

    [Theory]
    [InlineData(Roles.BusinessManager)]
    [InlineData(Roles.DataProtectionOfficer)]
    public void ManagersAndDposMayNotCancel(string role) =>
        Assert.False(RunOwnership.Decide(RunChange.Cancel, "sam", "them", [role]).Allowed);

    [Fact]
    public void AnAdministratorMayCancelAnyRunAndTheDecisionSaysSo()
    {
        var decision = RunOwnership.Decide(RunChange.Cancel, "sam", "alex", [Roles.Administrator]);

        Assert.True(decision.Allowed);
        Assert.True(decision.ByAdministrator);
    }

    [Theory]
    [InlineData(RunChange.LogBatch)]
    [InlineData(RunChange.AttachModel)]
    [InlineData(RunChange.End)]
    public void AnAdministratorMayNotWriteIntoSomeoneElsesRun(RunChange change) =>
        Assert.False(RunOwnership.Decide(change, "sam", "alex", [Roles.Administrator]).Allowed);

    [Fact]
    public void AnActorWithoutAnIdIsNeverTheSubmitter() =>
        Assert.False(RunOwnership.Decide(RunChange.End, "", "", [Roles.DataScientist]).Allowed);

    [Theory]
    [MemberData(nameof(Changes))]
    public void EveryChangeNeedsAPolicyThatAdmitsTheSubmittersRole(RunChange change) =>
        Assert.True(AuthorizationMatrix.IsAllowed(RunOwnership.PolicyFor(change), [Roles.DataScientist]));

    [Fact]
    public void TheCancelPolicyAdmitsAdministratorsAndNoOtherReader()
    {
        Assert.True(AuthorizationMatrix.IsAllowed(Policies.CancelRuns, [Roles.Administrator]));
        Assert.False(AuthorizationMatrix.IsAllowed(Policies.CancelRuns, [Roles.BusinessManager]));
        Assert.False(AuthorizationMatrix.IsAllowed(Policies.CancelRuns, [Roles.DataProtectionOfficer]));
    }
}
