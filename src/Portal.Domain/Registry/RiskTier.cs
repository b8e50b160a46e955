namespace Portal.Domain.Registry;

/// <summary>How much harm a wrong prediction of a registered model can do; decides how many approvals a promotion needs.</summary>
public enum RiskTier
{
    Low = 0,
    High = 1,
}
