using System.Globalization;
using Portal.Domain.Registry;
using Portal.Domain.Security;
using Portal.Domain.Text;

namespace Portal.Domain.Rollouts;

/// <summary>
/// A staged rollout of an approved challenger (the canary) against the model's champion: the canary takes each step's
/// share of live traffic (<see cref="CanaryPercent"/>), an analysis judges it against the champion on the same window, and
/// it moves to the next step, completes (the approved transition is applied: the canary becomes the champion) or is rolled
/// back. Persisted step by step; whichever worker holds the lease drives it, so a crashed driver's successor resumes from
/// the recorded step.
/// </summary>
public sealed class Rollout
{
    public const int MaxTextLength = 2000;

    private readonly List<RolloutStepVerdict> verdicts = [];

    private Rollout()
    {
    }

    public RolloutId Id { get; private set; }

    public RegisteredModelId ModelId { get; private set; }

    /// <summary>The champion when the rollout started: what a rollback returns all traffic to.</summary>
    public ModelVersionId BaselineVersionId { get; private set; }

    public int BaselineVersionNumber { get; private set; }

    public ModelVersionId CanaryVersionId { get; private set; }

    public int CanaryVersionNumber { get; private set; }

    /// <summary>The approved promotion to Production this rollout carries out; applied when the last step is reached.</summary>
    public PromotionTransition Transition { get; private set; } = null!;

    /// <summary>The model's policy when the rollout started (a later policy change does not alter a running rollout).</summary>
    public RolloutPolicy Policy { get; private set; } = RolloutPolicy.Default;

    public RolloutState State { get; private set; }

    public int StepIndex { get; private set; }

    /// <summary>The canary's share of traffic now, in percent: the current step's share while active, 0 after a rollback or abort.</summary>
    public int CanaryPercent { get; private set; }

    public DateTime StartedUtc { get; private set; }

    public DateTime StepStartedUtc { get; private set; }

    public DateTime? EndedUtc { get; private set; }

    /// <summary>Why the rollout ended or was paused, in words (the failed analysis, or who stopped it and why).</summary>
    public string? Reason { get; private set; }

    public string? LeaseOwner { get; private set; }

    public DateTime? LeaseExpiresUtc { get; private set; }

    /// <summary>One per closed step, oldest first.</summary>
    public IReadOnlyList<RolloutStepVerdict> Verdicts => verdicts;

    public bool IsActive => State is RolloutState.Running or RolloutState.Paused;

    /// <summary>The step the rollout is at, counted from 1, and how many there are: "step 2 of 3".</summary>
    public string StepText => string.Create(CultureInfo.InvariantCulture, $"step {StepIndex + 1} of {Policy.Steps.Count}");

    /// <summary>Who may pause, resume, abort or roll back a rollout by hand, or set a model's rollout policy: a BusinessManager or an Administrator.</summary>
    public static bool MayControl(IEnumerable<string> roles) => roles.Any(r => r is Roles.BusinessManager or Roles.Administrator);

    /// <summary>What refuses starting a rollout of <paramref name="transition"/> on <paramref name="model"/>; null when it may start.</summary>
    public static Refusal? StartProblem(RegisteredModel model, PromotionTransition transition, RolloutPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(transition);
        ArgumentNullException.ThrowIfNull(policy);
        if (transition.ModelId != model.Id || transition.TargetStage != ModelStage.Production)
        {
            return new(RefusalReason.InvalidInput, $"A rollout carries out a promotion of a version of {model.Name} to Production.");
        }

        if (policy.Problem() is { } problem)
        {
            return new(RefusalReason.InvalidInput, problem);
        }

        if (model.Champion is null)
        {
            return new(RefusalReason.WrongState, $"Model {model.Name} has no champion to compare a canary with; its first version is promoted at once.");
        }

        return model.TransitionProblem(model.FindVersion(transition.VersionId), ModelStage.Production);
    }

    /// <summary>
    /// Starts the staged rollout of an approved promotion to Production: the current champion is the baseline, the promoted
    /// version the canary at the first step's share. Refused (InvalidOperationException) when <see cref="StartProblem"/> says why.
    /// </summary>
    public static Rollout Start(RegisteredModel model, PromotionTransition transition, RolloutPolicy policy, DateTimeOffset now)
    {
        if (StartProblem(model, transition, policy) is { } refusal)
        {
            throw new InvalidOperationException(refusal.Message);
        }

        var champion = model.Champion!;
        var canary = model.FindVersion(transition.VersionId)!;
        return new()
        {
            Id = RolloutId.New(now),
            ModelId = model.Id,
            BaselineVersionId = champion.Id,
            BaselineVersionNumber = champion.Number,
            CanaryVersionId = canary.Id,
            CanaryVersionNumber = canary.Number,
            Transition = transition,
            Policy = policy,
            State = RolloutState.Running,
            StepIndex = 0,
            CanaryPercent = policy.Steps[0],
            StartedUtc = now.UtcDateTime,
            StepStartedUtc = now.UtcDateTime,
        };
    }

    /// <summary>
    /// Applies the analysis of the current step: pending, it stays; passed, it closes the step and moves to the next (a new
    /// window starts), and reaching the last step (100 %) completes it: the caller then applies <see cref="Transition"/> to the
    /// model (<see cref="RegisteredModel.Apply"/>); failed, it is rolled back (the canary takes no traffic) with the reason.
    /// A rollout that is not running is not judged.
    /// </summary>
    public RolloutJudgement Judge(RolloutAnalysis analysis, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        if (State != RolloutState.Running)
        {
            return new(RolloutMove.NotRunning, $"The rollout is {State.ToString().ToLowerInvariant()}; it is not analysed.", null);
        }

        var assessment = analysis.Assess(Policy, StepStartedUtc, now);
        if (assessment.Outcome == RolloutAnalysisOutcome.Pending)
        {
            return new(RolloutMove.Stay, $"{Capitalised(StepText)} (canary at {CanaryPercent} %): {assessment.Summary}", assessment);
        }

        var passed = assessment.Outcome == RolloutAnalysisOutcome.Passed;
        var verdict = CloseStep(now, passed, $"{Capitalised(StepText)} (canary at {CanaryPercent} %) {(passed ? "passed" : "failed")}: {assessment.Summary}",
            assessment.Champion, assessment.Canary, null);
        if (!passed)
        {
            End(RolloutState.RolledBack, now, $"Rolled back automatically at {StepText} (canary at {CanaryPercent} %): {assessment.Summary}");
            return new(RolloutMove.RolledBack, Reason!, assessment);
        }

        StepIndex++;
        CanaryPercent = Policy.Steps[StepIndex];
        StepStartedUtc = now.UtcDateTime;
        if (StepIndex == Policy.Steps.Count - 1)
        {
            End(RolloutState.Completed, now, string.Create(CultureInfo.InvariantCulture,
                $"Completed: version {CanaryVersionNumber} passed every step and takes all traffic as the champion; version {BaselineVersionNumber} is archived."));
            return new(RolloutMove.Completed, $"{verdict.Summary} {Reason}", assessment);
        }

        return new(RolloutMove.Advanced, string.Create(CultureInfo.InvariantCulture, $"{verdict.Summary} Now at {StepText}: canary at {CanaryPercent} %."), assessment);
    }

    /// <summary>Holds a running rollout at its step: the canary keeps its share, nothing is analysed or advanced until resumed.</summary>
    public RegistryResult Pause(string by, IEnumerable<string> roles, string? reason)
    {
        if (ControlProblem(roles, reason, "pause") is { } refusal)
        {
            return refusal;
        }

        if (State != RolloutState.Running)
        {
            return RegistryResult.Refused(RefusalReason.WrongState, $"Only a running rollout is paused; this one is {State.ToString().ToLowerInvariant()}.");
        }

        State = RolloutState.Paused;
        Reason = $"Paused by {by}: {reason!.Trim()}";
        return RegistryResult.Done;
    }

    /// <summary>Resumes a paused rollout at the step it was paused on; the step's window starts again, so the pause counts towards no limit.</summary>
    public RegistryResult Resume(string by, IEnumerable<string> roles, DateTimeOffset now)
    {
        if (!MayControl(roles))
        {
            return RegistryResult.Refused(RefusalReason.RoleRequired, "Only a business manager or an administrator may resume a rollout.");
        }

        if (State != RolloutState.Paused)
        {
            return RegistryResult.Refused(RefusalReason.WrongState, $"Only a paused rollout is resumed; this one is {State.ToString().ToLowerInvariant()}.");
        }

        State = RolloutState.Running;
        StepStartedUtc = now.UtcDateTime;
        Reason = $"Resumed by {by}.";
        return RegistryResult.Done;
    }

    /// <summary>Stops an active rollout without a verdict on the canary: all traffic returns to the champion, the promotion is not made.</summary>
    public RegistryResult Abort(string by, IEnumerable<string> roles, string? reason, DateTimeOffset now) =>
        EndByHand(by, roles, reason, now, RolloutState.Aborted, "abort", "Aborted");

    /// <summary>
    /// Rolls an active rollout back by hand: the canary failed in a manager's judgement, all traffic returns to the champion.
    /// Refused after completion: the old champion is archived then, and an archived version is not promoted again (roll forward
    /// with a new request instead), so the history stays the truth.
    /// </summary>
    public RegistryResult RollBack(string by, IEnumerable<string> roles, string? reason, DateTimeOffset now)
    {
        if (State == RolloutState.Completed && MayControl(roles))
        {
            return RegistryResult.Refused(RefusalReason.WrongState, string.Create(CultureInfo.InvariantCulture,
                $"The rollout completed: version {CanaryVersionNumber} is the champion and version {BaselineVersionNumber} is archived, and an archived version is not promoted again. Request the promotion of another version instead."));
        }

        return EndByHand(by, roles, reason, now, RolloutState.RolledBack, "roll back", "Rolled back by hand");
    }

    /// <summary>Whether a driver may claim the rollout now: it is running and unclaimed, or its holder's lease lapsed.</summary>
    public bool IsClaimable(DateTimeOffset now) => State == RolloutState.Running && (LeaseOwner is null || LeaseExpiresUtc <= now.UtcDateTime);

    /// <summary>Takes the lease; false (nothing changed) when another driver holds a live one or the rollout is not running.</summary>
    public bool Claim(string workerId, DateTimeOffset now, TimeSpan lease)
    {
        if (!IsClaimable(now) && LeaseOwner != workerId)
        {
            return false;
        }

        LeaseOwner = workerId;
        LeaseExpiresUtc = (now + lease).UtcDateTime;
        return true;
    }

    /// <summary>Extends the lease of its holder; false when <paramref name="workerId"/> no longer holds it.</summary>
    public bool Renew(string workerId, DateTimeOffset now, TimeSpan lease)
    {
        if (LeaseOwner != workerId)
        {
            return false;
        }

        LeaseExpiresUtc = (now + lease).UtcDateTime;
        return true;
    }

    /// <summary>Lets the lease go so that any driver may take the rollout at once.</summary>
    public void Release(string workerId)
    {
        if (LeaseOwner == workerId)
        {
            LeaseOwner = null;
            LeaseExpiresUtc = null;
        }
    }

    private RegistryResult EndByHand(string by, IEnumerable<string> roles, string? reason, DateTimeOffset now, RolloutState state, string verb, string words)
    {
        if (ControlProblem(roles, reason, verb) is { } refusal)
        {
            return refusal;
        }

        if (!IsActive)
        {
            return RegistryResult.Refused(RefusalReason.WrongState, $"The rollout is {State.ToString().ToLowerInvariant()}; only a running or paused rollout can {verb}.");
        }

        var text = $"{words} by {by} at {StepText} (canary at {CanaryPercent} %): {reason!.Trim()}";
        CloseStep(now, false, text, null, null, by);
        End(state, now, text);
        return RegistryResult.Done;
    }

    private static Refusal? ControlProblem(IEnumerable<string> roles, string? reason, string verb)
    {
        if (!MayControl(roles))
        {
            return new(RefusalReason.RoleRequired, $"Only a business manager or an administrator may {verb} a rollout.");
        }

        return TextRule.FreeTextProblem("reason", reason, MaxTextLength / 2) is { } problem
            ? new(RefusalReason.InvalidInput, problem)
            : string.IsNullOrWhiteSpace(reason) ? new(RefusalReason.InvalidInput, $"A reason is required to {verb} a rollout.") : null;
    }

    private RolloutStepVerdict CloseStep(DateTimeOffset now, bool passed, string summary, RolloutArmFigures? champion, RolloutArmFigures? canary, string? by)
    {
        var verdict = new RolloutStepVerdict(StepIndex, CanaryPercent, StepStartedUtc, now.UtcDateTime, passed, Truncate(summary), champion, canary, by);
        verdicts.Add(verdict);
        return verdict;
    }

    private void End(RolloutState state, DateTimeOffset now, string reason)
    {
        State = state;
        if (state != RolloutState.Completed)
        {
            CanaryPercent = 0;
        }

        EndedUtc = now.UtcDateTime;
        Reason = Truncate(reason);
        LeaseOwner = null;
        LeaseExpiresUtc = null;
    }

    private static string Truncate(string text) => text.Length > MaxTextLength ? text[..(MaxTextLength - 1)] + "…" : text;

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
