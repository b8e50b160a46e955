namespace Portal.Domain.Rollouts;

/// <summary>
/// Where a staged rollout stands. Running and Paused are active (the canary takes its step's share of traffic; a paused
/// rollout is not analysed or advanced). Completed, RolledBack and Aborted are final: the canary takes no traffic any more,
/// and after Completed it is the champion.
/// </summary>
public enum RolloutState
{
    Running = 0,
    Paused = 1,
    Completed = 2,
    RolledBack = 3,
    Aborted = 4,
}
