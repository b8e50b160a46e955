namespace Portal.Domain.Registry;

/// <summary>Where a <see cref="PromotionRequest"/> stands.</summary>
public enum PromotionStatus
{
    /// <summary>The worker is evaluating the gates; nobody may decide yet.</summary>
    Evaluating = 0,

    /// <summary>Evidence frozen, no hard gate failed (or an Administrator overrode it): waiting for sign-off and approvals.</summary>
    Pending = 1,

    /// <summary>Final: the required approvals were given; the transition was handed to the registry.</summary>
    Approved = 2,

    /// <summary>Final: a manager rejected it, or the data protection officer denied the sign-off.</summary>
    Rejected = 3,

    /// <summary>Evidence frozen and a hard gate failed: nobody may approve unless an Administrator overrides.</summary>
    Blocked = 4,

    /// <summary>The evidence changed after it was frozen (a new champion, a changed classification): re-evaluate first.</summary>
    Stale = 5,
}
