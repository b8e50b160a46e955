namespace Portal.Domain.Registry;

/// <summary>
/// The outcome of <see cref="PromotionRequest.Approve"/>: refused (nothing changed), or accepted. <see cref="Counted"/> is
/// false when this manager had already approved the same evidence (counted once). <see cref="Transition"/> is set when this
/// approval completed the required count: the application applies it to the <see cref="RegisteredModel"/> in the same transaction.
/// </summary>
public sealed record ApprovalResult(Refusal? Refusal, bool Counted, PromotionTransition? Transition)
{
    public bool Succeeded => Refusal is null;

    public static ApprovalResult Refused(Refusal refusal) => new(refusal, false, null);
}
