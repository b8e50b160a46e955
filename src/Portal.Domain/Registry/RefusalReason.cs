namespace Portal.Domain.Registry;

/// <summary>Why the registry or a promotion refused an operation. <see cref="Refusal.Category"/> says how an API answers it.</summary>
public enum RefusalReason
{
    /// <summary>The caller lacks the role the operation needs (e.g. approving without being a BusinessManager).</summary>
    RoleRequired,

    /// <summary>Four-eyes: the requester of the promotion may not decide it.</summary>
    RequesterMayNotDecide,

    /// <summary>Four-eyes: whoever submitted the run behind the version may not decide its promotion.</summary>
    RunSubmitterMayNotDecide,

    /// <summary>The request or version is not in a state that allows the operation.</summary>
    WrongState,

    /// <summary>A hard gate failed and no Administrator overrode it.</summary>
    HardGateFailed,

    /// <summary>The data protection officer has not signed off where the data needs it.</summary>
    SignOffMissing,

    /// <summary>The evidence the decider saw is not the current snapshot, or the snapshot itself is stale.</summary>
    StaleEvidence,

    /// <summary>A comment, reason or other input is missing or refused by the text rule.</summary>
    InvalidInput,
}
