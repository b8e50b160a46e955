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

    /// <summary>Improvement over the champion the quality gate requires, in the gate metric's scale (0.01 = one point of AUC); negative tolerates a worse challenger by that much.</summary>
    [Range(-1.0, 1.0)]
    public double QualityMargin { get; set; }

    /// <summary>How sure the paired test must be that the improvement reaches the margin.</summary>
    [Range(0.5, 0.999)]
    public double QualityConfidence { get; set; } = 0.95;

    /// <summary>Largest allowed gap between groups' true-positive rates on a sensitive column.</summary>
    [Range(0.0, 1.0)]
    public double FairnessMaxTruePositiveRateGap { get; set; } = 0.1;

    /// <summary>Smallest allowed ratio of the lowest to the highest group selection rate (the four-fifths rule: 0.8).</summary>
    [Range(0.0, 1.0)]
    public double FairnessMinSelectionRateRatio { get; set; } = 0.8;

    /// <summary>Groups with fewer evaluation rows are reported but not judged.</summary>
    [Range(1, 1_000_000)]
    public int FairnessMinGroupRows { get; set; } = 30;

    /// <summary>Permutations per feature for its importance (2 or more gives a spread).</summary>
    [Range(1, 20)]
    public int PermutationCount { get; set; } = 3;

    /// <summary>Evaluation rows the permutation importance is computed on (the first ones); the quality and fairness gates use every row.</summary>
    [Range(100, 10_000_000)]
    public int PermutationRows { get; set; } = 20_000;

    /// <summary>Resamples of the paired bootstrap (AUC, RMSE, MAE).</summary>
    [Range(100, 100_000)]
    public int BootstrapResamples { get; set; } = 1000;

    /// <summary>Without a champion, the AUC a binary challenger must reach on its own.</summary>
    [Range(0.0, 1.0)]
    public double MinimumAuc { get; set; } = 0.7;

    /// <summary>Without a champion, the micro accuracy a multiclass challenger must reach.</summary>
    [Range(0.0, 1.0)]
    public double MinimumMicroAccuracy { get; set; } = 0.6;

    /// <summary>Without a champion, the R² a regression challenger must reach.</summary>
    [Range(-1.0, 1.0)]
    public double MinimumRSquared { get; set; } = 0.5;

    public ApprovalPolicy ApprovalPolicy => new(LowRiskApprovals, HighRiskApprovals);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ApprovalPolicy.Problem() is { } problem)
        {
            yield return new ValidationResult(problem, [nameof(LowRiskApprovals), nameof(HighRiskApprovals)]);
        }
    }
}
