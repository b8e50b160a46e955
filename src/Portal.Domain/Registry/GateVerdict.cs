namespace Portal.Domain.Registry;

/// <summary>The outcome of one <see cref="PromotionGate"/>.</summary>
public enum GateVerdict
{
    Passed = 0,

    /// <summary>Blocks the request (on a hard gate).</summary>
    Failed = 1,

    /// <summary>Shown to the manager; never blocks.</summary>
    Warning = 2,

    /// <summary>Waiting for a person: the DPO's sign-off, or the managers' approvals.</summary>
    Waiting = 3,
}
