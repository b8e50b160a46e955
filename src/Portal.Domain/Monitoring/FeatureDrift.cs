namespace Portal.Domain.Monitoring;

/// <summary>
/// One feature's drift between the training reference and a window of predicted rows. Both the test (with its p-value) and
/// the population stability index are always reported; <see cref="Drifted"/> is decided by the test on small windows and by
/// the PSI on large ones (<see cref="MonitoringPolicy.StatisticalTestMaxRows"/>), as Evidently does.
/// </summary>
/// <param name="Name">The input feature's name.</param>
/// <param name="Kind">Numeric or categorical.</param>
/// <param name="Test">KS for numeric, chi-square for categorical.</param>
/// <param name="Statistic">The test statistic (KS D, or chi-square).</param>
/// <param name="PValue">The test's p-value (exact KS for small samples, asymptotic for large, as SciPy chooses).</param>
/// <param name="Psi">Population stability index over the reference's bins (numeric) or categories (categorical).</param>
/// <param name="Drifted">Whether the rule in force says the feature drifted.</param>
public sealed record FeatureDrift(string Name, FeatureKind Kind, DriftTest Test, double Statistic, double PValue, double Psi, bool Drifted);

/// <summary>Drift of every feature of a window against the reference.</summary>
/// <param name="ReferenceRows">Rows in the reference (the champion's training dataset version).</param>
/// <param name="CurrentRows">Rows in the window compared.</param>
/// <param name="Features">One entry per input feature, in the signature's order.</param>
public sealed record DriftReport(long ReferenceRows, long CurrentRows, IReadOnlyList<FeatureDrift> Features)
{
    public static DriftReport Empty { get; } = new(0, 0, []);

    public int DriftedCount => Features.Count(f => f.Drifted);
}

/// <summary>Data-quality counts of one feature over a window, against the training profile.</summary>
/// <param name="Name">The input feature's name.</param>
/// <param name="Missing">Rows where the value was absent or empty.</param>
/// <param name="OutOfRange">Numeric values outside the training minimum–maximum.</param>
/// <param name="Unseen">Categorical values the training data never had.</param>
public sealed record FeatureQuality(string Name, long Missing, long OutOfRange, long Unseen);

/// <summary>Data quality of a window: per feature, and the rows the serving endpoint refused against the signature.</summary>
/// <param name="Rows">Rows in the window (answered and refused).</param>
/// <param name="SchemaViolations">Rows refused for a missing, extra or mistyped field.</param>
/// <param name="Features">Per-feature counts.</param>
public sealed record WindowQuality(long Rows, long SchemaViolations, IReadOnlyList<FeatureQuality> Features)
{
    public static WindowQuality Empty { get; } = new(0, 0, []);
}

/// <summary>How often each predicted value (class, or a score bucket for regression) came out in a window.</summary>
/// <param name="Label">The class name, or a bucket such as "[10, 20)".</param>
/// <param name="Count">Rows predicted so.</param>
public sealed record PredictionShare(string Label, long Count);
