using Portal.Domain.Registry;

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
}
