namespace Portal.Domain.Diagnostics;

/// <summary>
/// Thresholds of the diagnostics rules. The defaults suit typical tabular runs; callers (workspace settings,
/// tests) override single values with <c>with</c>.
/// </summary>
public sealed record DiagnosticThresholds
{
    /// <summary>Consecutive steps a trend must last before Overfitting or LossNotDecreasing fires.</summary>
    public int PatienceSteps { get; init; } = 5;

    /// <summary>Relative validation/training gap ((val - train) / train) above which Overfitting fires.</summary>
    public double OverfittingGapRatio { get; init; } = 0.5;

    /// <summary>Smallest relative improvement that counts as "the loss decreased".</summary>
    public double MinRelativeImprovement { get; init; } = 1e-4;

    /// <summary>A loss this many times its running minimum counts as exploding.</summary>
    public double ExplodingFactor { get; init; } = 10.0;

    /// <summary>Minority class share below which ClassImbalance fires.</summary>
    public double MinorityShare { get; init; } = 0.10;

    /// <summary>Share of missing values above which MostlyMissing fires.</summary>
    public double MostlyMissingShare { get; init; } = 0.5;

    /// <summary>Single-feature AUC (or |correlation| for regression) at or above which LabelLeakage fires.</summary>
    public double LeakageScore { get; init; } = 0.99;

    /// <summary>Minimum rows in absolute terms.</summary>
    public int MinRows { get; init; } = 50;

    /// <summary>Minimum rows per feature.</summary>
    public int MinRowsPerFeature { get; init; } = 10;

    /// <summary>Minimum rows of each class for classification tasks.</summary>
    public int MinRowsPerClass { get; init; } = 10;
}
