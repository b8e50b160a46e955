using System.ComponentModel.DataAnnotations;
using Portal.Domain.Registry;

namespace Portal.Application.Registry;

/// <summary>The registry's governance settings (section <c>Registry</c>), validated at start.</summary>
public sealed class RegistryOptions : IValidatableObject
{
    public const string Section = "Registry";

    /// <summary>Distinct BusinessManager approvals a low-risk model's promotion needs.</summary>
    [Range(1, ApprovalPolicy.MaxApprovals)]
    public int LowRiskApprovals { get; set; } = 1;

    /// <summary>Distinct BusinessManager approvals a high-risk model's promotion needs.</summary>
    [Range(1, ApprovalPolicy.MaxApprovals)]
    public int HighRiskApprovals { get; set; } = 2;

    public ApprovalPolicy ApprovalPolicy => new(LowRiskApprovals, HighRiskApprovals);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ApprovalPolicy.Problem() is { } problem)
        {
            yield return new ValidationResult(problem, [nameof(LowRiskApprovals), nameof(HighRiskApprovals)]);
        }
    }
}
