namespace Portal.Domain.Monitoring;

/// <summary>How a monitoring window is cut: a fixed span of prediction time, or a fixed number of predicted rows.</summary>
public enum WindowKind
{
    Time,
    Count,
}

/// <summary>How a feature's drift is measured: numeric features by their distribution, categorical ones by their value counts.</summary>
public enum FeatureKind
{
    Numeric,
    Categorical,
}

/// <summary>The two-sample statistical test behind a feature's drift p-value.</summary>
public enum DriftTest
{
    /// <summary>Kolmogorov–Smirnov two-sample test (numeric features).</summary>
    Ks,

    /// <summary>Pearson's chi-square goodness of fit of the current counts against the reference proportions (categorical features).</summary>
    Chi2,
}

/// <summary>What raised an alert.</summary>
public enum AlertRule
{
    AccuracyDrop,
    Drift,
    DataQuality,
    SchemaViolation,

    /// <summary>A staged rollout's canary failed its analysis and was rolled back automatically (no window: the rollout).</summary>
    RolloutRolledBack,
}

public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}

/// <summary>An alert's life: open until someone acknowledges it (with a comment), resolved by a person or when its cause clears.</summary>
public enum AlertStatus
{
    Open,
    Acknowledged,
    Resolved,
}
