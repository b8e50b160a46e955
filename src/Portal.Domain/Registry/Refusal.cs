namespace Portal.Domain.Registry;

/// <summary>A refused registry or promotion operation: the typed reason, and a message saying why in words a manager understands.</summary>
public sealed record Refusal(RefusalReason Reason, string Message)
{
    public RefusalCategory Category => Reason switch
    {
        RefusalReason.RoleRequired or RefusalReason.RequesterMayNotDecide or RefusalReason.RunSubmitterMayNotDecide => RefusalCategory.Forbidden,
        RefusalReason.InvalidInput => RefusalCategory.Invalid,
        _ => RefusalCategory.Conflict,
    };

    public override string ToString() => $"{Reason}: {Message}";
}
