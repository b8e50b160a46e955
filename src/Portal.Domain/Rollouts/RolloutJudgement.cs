namespace Portal.Domain.Rollouts;

/// <summary>What a step's analysis did to a rollout.</summary>
public enum RolloutMove
{
    /// <summary>The rollout is paused or over; nothing was judged.</summary>
    NotRunning,

    /// <summary>Not enough samples or time yet: the step goes on.</summary>
    Stay,

    /// <summary>The step passed; the canary moved to the next step's share.</summary>
    Advanced,

    /// <summary>The last analysed step passed: the canary takes all traffic; the caller applies the promotion.</summary>
    Completed,

    /// <summary>The step failed: the canary takes no traffic any more.</summary>
    RolledBack,
}

/// <summary>The outcome of <see cref="Rollout.Judge"/>: the move, in words, and the analysis it rests on (null when not analysed).</summary>
public sealed record RolloutJudgement(RolloutMove Move, string Summary, RolloutAssessment? Assessment);
