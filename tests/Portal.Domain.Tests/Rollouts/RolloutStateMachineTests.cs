using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Tests.Registry;
using static Portal.Domain.Tests.Rollouts.RolloutBuilder;

namespace Portal.Domain.Tests.Rollouts;

public sealed class RolloutStateMachineTests
{
    private static readonly string[] Manager = RegistryBuilder.ManagerRoles;

    [Fact]
    public void StartTakesTheChampionAsBaselineAndTheApprovedVersionAsCanaryAtTheFirstStep()
    {
        var (model, transition) = ModelWithChallenger();

        var rollout = Rollout.Start(model, transition, Policy, Now);

        Assert.Equal(RolloutState.Running, rollout.State);
        Assert.Equal(model.Champion!.Id, rollout.BaselineVersionId);
        Assert.Equal(1, rollout.BaselineVersionNumber);
        Assert.Equal(transition.VersionId, rollout.CanaryVersionId);
        Assert.Equal(2, rollout.CanaryVersionNumber);
        Assert.Equal(0, rollout.StepIndex);
        Assert.Equal(10, rollout.CanaryPercent);
        Assert.Equal(1, model.Champion.Number);
    }

    [Fact]
    public void StartIsRefusedWithoutAChampion()
    {
        var model = RegistryBuilder.Model();
        var version = RegistryBuilder.Version(model);

        var refusal = Rollout.StartProblem(model, Transition(model, version), Policy);

        Assert.Equal(RefusalReason.WrongState, refusal!.Reason);
        Assert.Throws<InvalidOperationException>(() => Rollout.Start(model, Transition(model, version), Policy, Now));
    }

    [Fact]
    public void PendingAnalysisLeavesTheStepAsItIs()
    {
        var (_, rollout) = Started();

        var judgement = rollout.Judge(Classification(10, 9, 10, 9), Now.AddMinutes(10));

        Assert.Equal(RolloutMove.Stay, judgement.Move);
        Assert.Equal((0, 10, RolloutState.Running), (rollout.StepIndex, rollout.CanaryPercent, rollout.State));
        Assert.Empty(rollout.Verdicts);
    }

    [Fact]
    public void PassedStepAdvancesWithANewWindowAndRecordsItsVerdict()
    {
        var (_, rollout) = Started();
        var at = Now.AddMinutes(6);

        var judgement = rollout.Judge(Equal, at);

        Assert.Equal(RolloutMove.Advanced, judgement.Move);
        Assert.Equal((1, 50), (rollout.StepIndex, rollout.CanaryPercent));
        Assert.Equal(at.UtcDateTime, rollout.StepStartedUtc);
        var verdict = Assert.Single(rollout.Verdicts);
        Assert.True(verdict.Passed);
        Assert.Equal((0, 10, Now.UtcDateTime), (verdict.StepIndex, verdict.CanaryPercent, verdict.WindowFromUtc));
        Assert.Null(verdict.DecidedBy);
        Assert.Contains("Step 1 of 3 (canary at 10 %) passed", verdict.Summary);
    }

    [Fact]
    public void PassingTheLastAnalysedStepCompletesTheRolloutAtOneHundredPercent()
    {
        var (model, rollout) = Started();
        rollout.Judge(Equal, Now.AddMinutes(6));

        var judgement = rollout.Judge(Equal, Now.AddMinutes(12));

        Assert.Equal(RolloutMove.Completed, judgement.Move);
        Assert.Equal((RolloutState.Completed, 2, 100), (rollout.State, rollout.StepIndex, rollout.CanaryPercent));
        Assert.Equal(2, rollout.Verdicts.Count);
        Assert.NotNull(rollout.EndedUtc);
        // The caller applies the transition: the canary becomes champion with history, the old champion archived.
        Assert.True(model.Apply(rollout.Transition, Now.AddMinutes(12)).Succeeded);
        Assert.Equal(2, model.Champion!.Number);
        Assert.Equal(ModelStage.Archived, model.FindVersion(1)!.Stage);
        Assert.Equal(2, model.ProductionHistory.Count);
    }

    [Fact]
    public void FailedStepRollsBackWithTheReasonAndNoCanaryTraffic()
    {
        var (_, rollout) = Started();
        rollout.Judge(Equal, Now.AddMinutes(6));

        var judgement = rollout.Judge(Worse, Now.AddMinutes(8));

        Assert.Equal(RolloutMove.RolledBack, judgement.Move);
        Assert.Equal((RolloutState.RolledBack, 0), (rollout.State, rollout.CanaryPercent));
        Assert.StartsWith("Rolled back automatically at step 2 of 3 (canary at 50 %)", rollout.Reason);
        Assert.Contains("shown inferior", rollout.Reason);
        Assert.False(rollout.Verdicts[^1].Passed);
        Assert.Equal(RolloutMove.NotRunning, rollout.Judge(Equal, Now.AddMinutes(20)).Move);
    }

    [Fact]
    public void PausedRolloutIsNotJudgedAndResumingStartsTheStepsWindowAgain()
    {
        var (_, rollout) = Started();

        Assert.True(rollout.Pause("manager-1", Manager, "checking a complaint").Succeeded);
        Assert.Equal(RolloutMove.NotRunning, rollout.Judge(Equal, Now.AddMinutes(10)).Move);
        Assert.Equal(10, rollout.CanaryPercent);
        Assert.True(rollout.Resume("manager-1", Manager, Now.AddHours(2)).Succeeded);

        Assert.Equal(RolloutState.Running, rollout.State);
        Assert.Equal(Now.AddHours(2).UtcDateTime, rollout.StepStartedUtc);
        Assert.Equal(RolloutMove.Stay, rollout.Judge(Equal, Now.AddHours(2).AddMinutes(1)).Move);
    }

    [Fact]
    public void ControlsAreRefusedToDataScientistsAndWithoutAReason()
    {
        var (_, rollout) = Started();

        Assert.Equal(RefusalReason.RoleRequired, rollout.Pause("scientist", RegistryBuilder.ScientistRoles, "why not").Refusal!.Reason);
        Assert.Equal(RefusalReason.RoleRequired, rollout.RollBack("scientist", RegistryBuilder.ScientistRoles, "why not", Now).Refusal!.Reason);
        Assert.Equal(RefusalReason.InvalidInput, rollout.Abort("manager-1", Manager, "  ", Now).Refusal!.Reason);
        Assert.Equal(RefusalReason.WrongState, rollout.Resume("manager-1", Manager, Now).Refusal!.Reason);
        Assert.Equal(RolloutState.Running, rollout.State);
    }

    [Fact]
    public void AbortAndManualRollBackEndTheRolloutWithWhoAndWhy()
    {
        var (_, aborted) = Started();
        var (_, rolledBack) = Started();

        Assert.True(aborted.Abort("manager-1", Manager, "campaign week", Now.AddMinutes(1)).Succeeded);
        Assert.True(rolledBack.RollBack("admin", RegistryBuilder.AdminRoles, "complaints", Now.AddMinutes(1)).Succeeded);

        Assert.Equal((RolloutState.Aborted, 0), (aborted.State, aborted.CanaryPercent));
        Assert.Equal("Aborted by manager-1 at step 1 of 3 (canary at 10 %): campaign week", aborted.Reason);
        Assert.Equal((RolloutState.RolledBack, 0), (rolledBack.State, rolledBack.CanaryPercent));
        Assert.Equal("admin", Assert.Single(rolledBack.Verdicts).DecidedBy);
        Assert.Equal(RefusalReason.WrongState, aborted.Pause("manager-1", Manager, "too late").Refusal!.Reason);
    }

    [Fact]
    public void ManualRollBackAfterCompletionIsRefusedBecauseTheOldChampionIsArchived()
    {
        var (_, rollout) = Started(Policy with { Steps = [50, 100] });
        Assert.Equal(RolloutMove.Completed, rollout.Judge(Equal, Now.AddMinutes(6)).Move);

        var result = rollout.RollBack("manager-1", Manager, "changed my mind", Now.AddMinutes(7));

        Assert.Equal(RefusalReason.WrongState, result.Refusal!.Reason);
        Assert.Contains("version 1 is archived", result.Refusal.Message);
        Assert.Equal(RolloutState.Completed, rollout.State);
    }

    [Fact]
    public void LeaseIsHeldByOneDriverUntilItLapsesOrIsReleased()
    {
        var (_, rollout) = Started();
        var lease = TimeSpan.FromSeconds(30);

        Assert.True(rollout.Claim("a", Now, lease));
        Assert.False(rollout.Claim("b", Now.AddSeconds(10), lease));
        Assert.True(rollout.Renew("a", Now.AddSeconds(20), lease));
        Assert.False(rollout.Renew("b", Now.AddSeconds(20), lease));
        Assert.False(rollout.Claim("b", Now.AddSeconds(45), lease));
        Assert.True(rollout.Claim("b", Now.AddSeconds(51), lease));
        rollout.Release("a");
        Assert.Equal("b", rollout.LeaseOwner);
        rollout.Release("b");
        Assert.Null(rollout.LeaseOwner);
    }
}
