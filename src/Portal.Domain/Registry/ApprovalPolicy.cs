namespace Portal.Domain.Registry;

/// <summary>How many distinct BusinessManagers must approve a promotion, by the model's risk tier (low 1, high 2 by default).</summary>
public sealed record ApprovalPolicy(int LowRiskApprovals = 1, int HighRiskApprovals = 2)
{
    public const int MaxApprovals = 10;

    public static readonly ApprovalPolicy Default = new();

    public int RequiredFor(RiskTier tier)
    {
        if (Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        return tier == RiskTier.High ? HighRiskApprovals : LowRiskApprovals;
    }

    /// <summary>What is wrong with the configured counts; null when valid (for options validation at start).</summary>
    public string? Problem() =>
        LowRiskApprovals is < 1 or > MaxApprovals || HighRiskApprovals is < 1 or > MaxApprovals
            ? $"Approvals required must be 1 to {MaxApprovals} per risk tier (low {LowRiskApprovals}, high {HighRiskApprovals})."
            : HighRiskApprovals < LowRiskApprovals
                ? $"A high-risk model cannot need fewer approvals ({HighRiskApprovals}) than a low-risk one ({LowRiskApprovals})."
                : null;
}
