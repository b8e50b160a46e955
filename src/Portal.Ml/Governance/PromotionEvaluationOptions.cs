using Portal.Domain.Runs;
using Portal.Domain.Statistics;

namespace Portal.Ml.Governance;

/// <summary>
/// How the evidence is judged and how much work it may take. The quality gate compares the challenger with the
/// champion on <see cref="GateMetric"/>; without a champion the <see cref="AbsoluteThresholds"/> of the task apply.
/// </summary>
public sealed record PromotionEvaluationOptions
{
    /// <summary>The metrics the quality gate can judge, and how: McNemar for accuracy, a paired bootstrap for AUC and errors.</summary>
    public static IReadOnlyList<string> GateMetrics { get; } = ["accuracy", "areaUnderRocCurve", "microAccuracy", "rootMeanSquaredError", "meanAbsoluteError"];

    /// <summary>
    /// The metric the improvement is judged on; null for the task's default: AUC for binary (the run's primary
    /// metric), micro accuracy for multiclass (a proportion of rows, so McNemar applies), RMSE for regression.
    /// </summary>
    public string? GateMetric { get; init; }

    /// <summary>Required improvement over the champion in the gate metric's scale (0.01 = one point of AUC or accuracy; RMSE in its units); negative allows a worse challenger by that much.</summary>
    public double Margin { get; init; }

    /// <summary>How sure the paired test must be that the improvement reaches the margin (one-sided).</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Fairness bounds: largest true-positive-rate gap, smallest selection-rate ratio (four-fifths), smallest judged group.</summary>
    public FairnessBounds Fairness { get; init; } = new();

    /// <summary>What the challenger must reach on its own when there is no champion; only the thresholds of the request's task apply.</summary>
    public IReadOnlyList<AbsoluteThreshold> AbsoluteThresholds { get; init; } =
    [
        new(MlTask.Binary, "areaUnderRocCurve", 0.7),
        new(MlTask.Multiclass, "microAccuracy", 0.6),
        new(MlTask.Regression, "rSquared", 0.5),
    ];

    /// <summary>How many times each feature is permuted for its importance (the spread needs at least 2).</summary>
    public int PermutationCount { get; init; } = 3;

    /// <summary>
    /// Rows the permutation importance is computed on (the first rows of the evaluation rows, stated in the evidence);
    /// null for all. Each feature costs a full scoring and evaluation per permutation, so on a 100,000-row hold-out
    /// importance over every row took most of the gate's time (docs/benchmarks.md); 20,000 rows keep the spread of
    /// an informative feature's importance small while the paired tests and fairness still use every row.
    /// </summary>
    public int? PermutationRows { get; init; } = 20_000;

    /// <summary>Resamples of the paired bootstrap (AUC, RMSE, MAE).</summary>
    public int BootstrapResamples { get; init; } = 1000;

    /// <summary>Seed of the bootstrap and the permutations: the same inputs and seed give the same evidence.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The evaluation row (0-based) whose prediction is explained.</summary>
    public int ExplainedRow { get; init; }

    /// <summary>The gate metric for a task (<see cref="GateMetric"/> or the task's default).</summary>
    public string GateMetricFor(MlTask task) => GateMetric ?? task switch
    {
        MlTask.Binary => "areaUnderRocCurve",
        MlTask.Multiclass => "microAccuracy",
        _ => "rootMeanSquaredError",
    };

    /// <summary>What is wrong with these options for a task; empty when they can be used.</summary>
    public IReadOnlyList<string> Problems(MlTask task)
    {
        var problems = new List<string>();
        var metric = GateMetricFor(task);
        var valid = task switch
        {
            MlTask.Binary => metric is "accuracy" or "areaUnderRocCurve",
            MlTask.Multiclass => metric == "microAccuracy",
            _ => metric is "rootMeanSquaredError" or "meanAbsoluteError",
        };
        if (!valid)
        {
            problems.Add($"The quality gate cannot judge '{metric}' for a {task.ToString().ToLowerInvariant()} model; use {task switch
            {
                MlTask.Binary => "accuracy or areaUnderRocCurve",
                MlTask.Multiclass => "microAccuracy",
                _ => "rootMeanSquaredError or meanAbsoluteError",
            }}.");
        }

        if (!double.IsFinite(Margin) || (Math.Abs(Margin) >= 1 && metric is "accuracy" or "areaUnderRocCurve" or "microAccuracy"))
        {
            problems.Add($"The margin of {metric} is a difference of proportions between −1 and 1 (0.01 = one point); got {Margin}.");
        }

        if (!(Confidence is > 0.5 and < 1))
        {
            problems.Add($"The confidence must be above 0.5 and below 1 (e.g. 0.95); got {Confidence}.");
        }

        if (!(Fairness.MaxTruePositiveRateGap is >= 0 and <= 1) || !(Fairness.MinSelectionRateRatio is >= 0 and <= 1) || Fairness.MinGroupRows < 1)
        {
            problems.Add("The fairness bounds need a true-positive-rate gap and a selection-rate ratio between 0 and 1 and a smallest group of at least 1 row.");
        }

        if (PermutationCount is < 1 or > 100)
        {
            problems.Add($"The permutation count must be between 1 and 100; got {PermutationCount}.");
        }

        if (PermutationRows is < 100)
        {
            problems.Add($"Permutation importance needs at least 100 rows; got {PermutationRows}.");
        }

        if (BootstrapResamples is < 100 or > 100_000)
        {
            problems.Add($"The bootstrap needs between 100 and 100,000 resamples; got {BootstrapResamples}.");
        }

        if (ExplainedRow < 0)
        {
            problems.Add($"The explained row is a 0-based row number; got {ExplainedRow}.");
        }

        foreach (var t in AbsoluteThresholds.Where(t => t.Task == task && MetricCatalog.Find(t.Metric) is not { Direction: not MetricDirection.Unknown }))
        {
            problems.Add($"The absolute threshold names '{t.Metric}', which is not a metric with a direction.");
        }

        return problems;
    }
}

/// <summary>A level the challenger's metric must reach when there is no champion (at least for higher-is-better metrics, at most for errors).</summary>
public sealed record AbsoluteThreshold(MlTask Task, string Metric, double Value);
