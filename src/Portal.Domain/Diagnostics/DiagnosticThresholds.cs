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

    /// <summary>
    /// Smallest change of loss, in the loss's own units, that Overfitting counts: the validation/training gap must
    /// exceed it, as must the validation loss's rise from its best. Near-perfect models have tiny losses whose relative
    /// gap is huge and meaningless (validation 0.014 vs training 0.0057 is "145 % above" and no problem).
    /// </summary>
    public double OverfittingMinimumGap { get; init; } = 0.02;

    /// <summary>
    /// The same floor as a share of the curve's starting validation loss, for losses in large units (an RMSE in the
    /// label's units); the larger of the two floors applies.
    /// </summary>
    public double OverfittingMinimumGapShareOfStart { get; init; } = 0.05;

    /// <summary>
    /// The last part of the curve over which the gap must have grown for Overfitting to fire on the gap (a gap that was
    /// there from the start and stays flat is the data, not overfitting): this share of the curve's steps, at least
    /// <see cref="PatienceSteps"/> of them.
    /// </summary>
    public double OverfittingWindowShare { get; init; } = 0.25;

    /// <summary>Smallest relative improvement that counts as "the loss decreased".</summary>
    public double MinRelativeImprovement { get; init; } = 1e-4;

    /// <summary>A loss this many times its running minimum counts as exploding.</summary>
    public double ExplodingFactor { get; init; } = 10.0;

    /// <summary>
    /// ...and only if it also rose above that minimum by at least this much, in the loss's own units, and by this
    /// share of the curve's starting loss (the larger applies): a loss of 0.006 after 0.0005 is twelve times its
    /// minimum and still a near-perfect model.
    /// </summary>
    public double ExplodingMinimumRise { get; init; } = 0.1;

    /// <summary>The share of the curve's starting loss that an exploding loss must rise above its minimum.</summary>
    public double ExplodingMinimumRiseShareOfStart { get; init; } = 0.1;

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
