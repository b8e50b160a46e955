namespace Portal.Domain.Monitoring;

/// <summary>
/// A model's monitoring thresholds. Every model is monitored with <see cref="Default"/> until someone sets its own.
/// </summary>
/// <param name="WindowMinutes">Length of a time window, in minutes of prediction time.</param>
/// <param name="WindowRows">Rows in a count window.</param>
/// <param name="AccuracyDrop">Alert when live accuracy falls this far below the champion's validation accuracy (0.05 = 5 points); for regression, when the live MAE exceeds the validation MAE by this fraction.</param>
/// <param name="MinimumLabels">Labels a window needs before its accuracy is judged.</param>
/// <param name="PsiThreshold">A feature drifted when its PSI reaches this (large windows). 0.1 is a moderate shift, 0.2 a significant one.</param>
/// <param name="PValueThreshold">A feature drifted when its test's p-value falls below this divided by the number of features compared (small windows; Bonferroni, so a window of unshifted features is a false alarm at most this often). 0.01 by default: windows come every minute.</param>
/// <param name="StatisticalTestMaxRows">Windows up to this many rows are judged by the statistical test; larger ones by PSI.</param>
/// <param name="MissingRateThreshold">Alert when a feature's missing share exceeds this.</param>
/// <param name="OutOfRangeRateThreshold">Alert when a numeric feature's share outside the training range exceeds this.</param>
/// <param name="UnseenRateThreshold">Alert when a categorical feature's share of unseen values exceeds this.</param>
/// <param name="SchemaViolationRateThreshold">Alert when the share of rows refused against the signature exceeds this.</param>
/// <param name="CooldownMinutes">After an alert is resolved, the same rule on the same feature stays quiet this long.</param>
public sealed record MonitoringPolicy(
    int WindowMinutes,
    int WindowRows,
    double AccuracyDrop,
    int MinimumLabels,
    double PsiThreshold,
    double PValueThreshold,
    int StatisticalTestMaxRows,
    double MissingRateThreshold,
    double OutOfRangeRateThreshold,
    double UnseenRateThreshold,
    double SchemaViolationRateThreshold,
    int CooldownMinutes)
{
    public static MonitoringPolicy Default { get; } = new(
        WindowMinutes: 1, WindowRows: 1000, AccuracyDrop: 0.05, MinimumLabels: 50, PsiThreshold: 0.2, PValueThreshold: 0.01,
        StatisticalTestMaxRows: 1000, MissingRateThreshold: 0.1, OutOfRangeRateThreshold: 0.1, UnseenRateThreshold: 0.1,
        SchemaViolationRateThreshold: 0.05, CooldownMinutes: 30);

    /// <summary>What is wrong with the policy, said so that a person can fix it; null when valid.</summary>
    public string? Problem()
    {
        if (WindowMinutes is < 1 or > 1440)
        {
            return "A time window lasts 1 to 1,440 minutes.";
        }

        if (WindowRows is < 50 or > 1_000_000)
        {
            return "A count window holds 50 to 1,000,000 rows.";
        }

        if (!IsShare(AccuracyDrop) || AccuracyDrop == 0)
        {
            return "The accuracy drop is a share above 0 and at most 1 (0.05 = 5 points).";
        }

        if (MinimumLabels is < 1 or > 1_000_000)
        {
            return "A window needs 1 to 1,000,000 labels before its accuracy is judged.";
        }

        if (!double.IsFinite(PsiThreshold) || PsiThreshold is <= 0 or > 10)
        {
            return "The PSI threshold is above 0 and at most 10 (0.2 is the usual 'significant shift').";
        }

        if (!double.IsFinite(PValueThreshold) || PValueThreshold is <= 0 or >= 1)
        {
            return "The p-value threshold is between 0 and 1, exclusive (0.05 is usual).";
        }

        if (StatisticalTestMaxRows is < 0 or > 1_000_000)
        {
            return "Windows judged by the statistical test hold at most 1,000,000 rows (0: always judge by PSI).";
        }

        if (!IsShare(MissingRateThreshold) || !IsShare(OutOfRangeRateThreshold) || !IsShare(UnseenRateThreshold) || !IsShare(SchemaViolationRateThreshold))
        {
            return "Data-quality thresholds are shares between 0 and 1 (0.1 = 10 % of a window's rows).";
        }

        return CooldownMinutes is < 0 or > 10_080 ? "The cool-down is 0 to 10,080 minutes (a week)." : null;
    }

    private static bool IsShare(double value) => double.IsFinite(value) && value is >= 0 and <= 1;
}

/// <summary>
/// When the worker retrains a model by itself: on a drift alert, on an accuracy alert, and/or on a schedule. A retrained
/// version is never promoted by the loop: if it passes the automated gates it opens a promotion request that people approve.
/// </summary>
/// <param name="OnDrift">Retrain when a drift alert is raised.</param>
/// <param name="OnAccuracyDrop">Retrain when an accuracy alert is raised.</param>
/// <param name="ScheduleHours">Also retrain every this many hours; null for no schedule.</param>
/// <param name="MinimumRows">Labelled rows the latest data window must hold before it is trained on.</param>
/// <param name="MinimumHoursBetween">No two retrainings of a model start closer than this.</param>
public sealed record RetrainingPolicy(bool OnDrift, bool OnAccuracyDrop, int? ScheduleHours, int MinimumRows, double MinimumHoursBetween)
{
    public static RetrainingPolicy Default { get; } = new(OnDrift: true, OnAccuracyDrop: true, ScheduleHours: null, MinimumRows: 500, MinimumHoursBetween: 1);

    /// <summary>What is wrong with the policy, said so that a person can fix it; null when valid.</summary>
    public string? Problem()
    {
        if (!OnDrift && !OnAccuracyDrop && ScheduleHours is null)
        {
            return "Choose at least one trigger: drift, an accuracy drop, or a schedule (or remove the policy).";
        }

        if (ScheduleHours is < 1 or > 8760)
        {
            return "A retraining schedule runs every 1 to 8,760 hours.";
        }

        if (MinimumRows is < 50 or > 10_000_000)
        {
            return "A retraining needs 50 to 10,000,000 labelled rows.";
        }

        return !double.IsFinite(MinimumHoursBetween) || MinimumHoursBetween is < 0 or > 8760
            ? "The least time between two retrainings is 0 to 8,760 hours."
            : null;
    }
}
