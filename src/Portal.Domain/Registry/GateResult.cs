using Portal.Domain.Text;

namespace Portal.Domain.Registry;

/// <summary>One gate's verdict with its reason, worded for a manager ("the challenger drops the input Age, which callers send").</summary>
public sealed record GateResult(PromotionGate Gate, GateVerdict Verdict, string Reason)
{
    public const int MaxReasonLength = 2000;

    public bool IsHardGate => Gate != PromotionGate.HumanApproval;

    public bool BlocksApproval => IsHardGate && Verdict == GateVerdict.Failed;

    /// <summary>What is wrong with the gate result (an empty or unreadable reason); null when valid.</summary>
    public string? Problem() =>
        string.IsNullOrWhiteSpace(Reason)
            ? $"The {Gate} gate needs a reason a manager can read."
            : TextRule.FreeTextProblem($"The {Gate} gate's reason", Reason, MaxReasonLength);
}
