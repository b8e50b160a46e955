using Portal.Domain.Live;
using Portal.Domain.Registry;

namespace Portal.Domain.Rollouts;

/// <summary>
/// A staged rollout started, was analysed, moved a step, was paused, resumed, completed, rolled back or aborted. Published on
/// the rollout's own topic and on its model's, in the same transaction as the change. <paramref name="Summary"/> says what
/// happened in words ("step 2 of 3: canary at 50 %", "rolled back: canary accuracy 0.71 vs 0.83 ...").
/// </summary>
public sealed record RolloutChanged(
    string Topic,
    RolloutId RolloutId,
    RegisteredModelId ModelId,
    RolloutState State,
    int StepIndex,
    int CanaryPercent,
    string Summary) : ILiveEvent;
