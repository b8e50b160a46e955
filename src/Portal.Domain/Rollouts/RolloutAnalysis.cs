using System.Globalization;
using Portal.Domain.Statistics;

namespace Portal.Domain.Rollouts;

/// <summary>What the analysis of a step concluded: not yet (too few samples or too little time), passed, or failed.</summary>
public enum RolloutAnalysisOutcome
{
    Pending,
    Passed,
    Failed,
}

/// <summary>The analysis of one step: its outcome, in words with the test and the figures, and each arm's figures.</summary>
public sealed record RolloutAssessment(RolloutAnalysisOutcome Outcome, string Summary, RolloutArmFigures Champion, RolloutArmFigures Canary);

/// <summary>
/// Canary against champion over the same window [step start, now]. The task metric comes from ground truth: accuracy for
/// classification, judged by non-inferiority of the difference of two independent proportions with Newcombe's hybrid score
/// interval; mean absolute error for regression, judged by Welch's interval on the difference with a margin relative to the
/// champion's error. The error rate (rows answered with an error) is judged by the same Newcombe interval. Both bounds are
/// one-sided at the policy's confidence. The step passes when both lower bounds clear their margins (after the minimum
/// duration); it fails when the canary is shown inferior on either (the upper bound below minus the margin), or when the
/// maximum duration passes without a pass; otherwise it waits.
/// </summary>
public sealed record RolloutAnalysis(RolloutArmCounts Champion, RolloutArmCounts Canary)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Regression when the labels are mostly numeric (absolute errors), classification otherwise.</summary>
    public bool IsRegression =>
        Champion.RegressionLabelled + Canary.RegressionLabelled > Champion.ClassifiedLabelled + Canary.ClassifiedLabelled;

    public string MetricName => IsRegression ? "mean absolute error" : "accuracy";

    public RolloutAssessment Assess(RolloutPolicy policy, DateTime windowFromUtc, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var elapsed = now.UtcDateTime - windowFromUtc;
        var champion = Figures(Champion, policy.Confidence);
        var canary = Figures(Canary, policy.Confidence);
        var championLabelled = Labelled(Champion);
        var canaryLabelled = Labelled(Canary);
        var overdue = elapsed >= policy.MaximumStepDuration;

        if (championLabelled < policy.MinimumSamplesPerArm || canaryLabelled < policy.MinimumSamplesPerArm || Champion.Rows == 0 || Canary.Rows == 0)
        {
            var counts = string.Create(Invariant, $"champion {championLabelled:N0}, canary {canaryLabelled:N0} of the {policy.MinimumSamplesPerArm:N0} labelled predictions each arm needs");
            return overdue
                ? new(RolloutAnalysisOutcome.Failed, string.Create(Invariant,
                    $"Not shown non-inferior within {Duration(policy.MaximumStepDuration)}: too few labelled predictions ({counts})."), champion, canary)
                : new(RolloutAnalysisOutcome.Pending, string.Create(Invariant, $"Waiting for ground truth: {counts}."), champion, canary);
        }

        var (task, taskMargin, taskWords) = IsRegression ? MeanAbsoluteError(policy) : Accuracy(policy);
        var error = IndependentProportionInterval.OneSidedBounds(Champion.ErrorRows, Champion.Rows, Canary.ErrorRows, Canary.Rows, policy.Confidence);
        var errorWords = string.Create(Invariant,
            $"Error rate: canary {Percent((double)Canary.ErrorRows / Canary.Rows)} ({Canary.ErrorRows:N0} of {Canary.Rows:N0} rows) vs champion {Percent((double)Champion.ErrorRows / Champion.Rows)} ({Champion.ErrorRows:N0} of {Champion.Rows:N0}); champion minus canary {Signed(error.Estimate * 100)} points, {Percent(policy.Confidence)} one-sided bounds {Signed(error.Lower * 100)} to {Signed(error.Upper * 100)} points against a margin of −{policy.ErrorRateMargin * 100:0.##} points (Newcombe hybrid score interval).");
        var figures = $"{taskWords} {errorWords}";

        var taskInferior = task.Upper < -taskMargin;
        var errorInferior = error.Upper < -policy.ErrorRateMargin;
        if (taskInferior || errorInferior)
        {
            var what = (taskInferior, errorInferior) switch
            {
                (true, true) => $"its {MetricName} and its error rate are",
                (true, false) => $"its {MetricName} is",
                _ => "its error rate is",
            };
            return new(RolloutAnalysisOutcome.Failed, $"The canary is shown inferior: {what} worse than the champion's by more than the margin. {figures}", champion, canary);
        }

        var taskClears = task.Lower > -taskMargin;
        var errorClears = error.Lower > -policy.ErrorRateMargin;
        if (taskClears && errorClears && elapsed >= policy.MinimumStepDuration)
        {
            return new(RolloutAnalysisOutcome.Passed, $"The canary is non-inferior on {MetricName} and error rate. {figures}", champion, canary);
        }

        if (overdue)
        {
            var which = !taskClears && !errorClears ? $"{MetricName} and error rate" : !taskClears ? MetricName : "error rate";
            return new(RolloutAnalysisOutcome.Failed, string.Create(Invariant,
                $"Not shown non-inferior on {which} within {Duration(policy.MaximumStepDuration)}. {figures}"), champion, canary);
        }

        var waiting = taskClears && errorClears
            ? string.Create(Invariant, $"Non-inferior so far; the step runs at least {Duration(policy.MinimumStepDuration)}.")
            : "Not yet shown non-inferior; collecting more traffic.";
        return new(RolloutAnalysisOutcome.Pending, $"{waiting} {figures}", champion, canary);
    }

    private long Labelled(RolloutArmCounts counts) => IsRegression ? counts.RegressionLabelled : counts.ClassifiedLabelled;

    private (DifferenceInterval Interval, double Margin, string Words) Accuracy(RolloutPolicy policy)
    {
        var interval = IndependentProportionInterval.OneSidedBounds(Canary.Correct, Canary.ClassifiedLabelled, Champion.Correct, Champion.ClassifiedLabelled, policy.Confidence);
        var words = string.Create(Invariant,
            $"Accuracy: canary {(double)Canary.Correct / Canary.ClassifiedLabelled:0.000} ({Canary.Correct:N0} of {Canary.ClassifiedLabelled:N0}) vs champion {(double)Champion.Correct / Champion.ClassifiedLabelled:0.000} ({Champion.Correct:N0} of {Champion.ClassifiedLabelled:N0}); canary minus champion {Signed(interval.Estimate * 100)} points, {Percent(policy.Confidence)} one-sided bounds {Signed(interval.Lower * 100)} to {Signed(interval.Upper * 100)} points against a margin of −{policy.TaskMetricMargin * 100:0.##} points (Newcombe hybrid score interval for two independent proportions).");
        return (interval, policy.TaskMetricMargin, words);
    }

    private (DifferenceInterval Interval, double Margin, string Words) MeanAbsoluteError(RolloutPolicy policy)
    {
        var champion = SampleSummary.FromSums(Champion.RegressionLabelled, Champion.SumAbsoluteError, Champion.SumSquaredAbsoluteError);
        var canary = SampleSummary.FromSums(Canary.RegressionLabelled, Canary.SumAbsoluteError, Canary.SumSquaredAbsoluteError);
        var interval = WelchInterval.OneSidedBounds(champion, canary, policy.Confidence);
        var margin = policy.TaskMetricMargin * champion.Mean;
        var words = string.Create(Invariant,
            $"Mean absolute error: canary {canary.Mean:G4} (n = {canary.Count:N0}) vs champion {champion.Mean:G4} (n = {champion.Count:N0}); champion minus canary {Signed(interval.Estimate, "G4")}, {Percent(policy.Confidence)} one-sided bounds {Signed(interval.Lower, "G4")} to {Signed(interval.Upper, "G4")} against a margin of −{margin:G4} ({policy.TaskMetricMargin * 100:0.##} % of the champion's error; Welch's t interval).");
        return (interval, margin, words);
    }

    private static RolloutArmFigures Figures(RolloutArmCounts counts, double confidence)
    {
        var z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, (1 + confidence) / 2);
        if (counts.RegressionLabelled > counts.ClassifiedLabelled)
        {
            var sample = SampleSummary.FromSums(counts.RegressionLabelled, counts.SumAbsoluteError, counts.SumSquaredAbsoluteError);
            var half = sample.Count < 2 ? (double?)null
                : MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, sample.Count - 1, (1 + confidence) / 2) * Math.Sqrt(sample.Variance / sample.Count);
            return new(counts.Rows, counts.ErrorRows, counts.RegressionLabelled, sample.Mean, sample.Mean - half, sample.Mean + half);
        }

        if (counts.ClassifiedLabelled == 0)
        {
            return new(counts.Rows, counts.ErrorRows, 0, null, null, null);
        }

        var (lower, upper) = WilsonScore.Interval(counts.Correct, counts.ClassifiedLabelled, z);
        return new(counts.Rows, counts.ErrorRows, counts.ClassifiedLabelled, (double)counts.Correct / counts.ClassifiedLabelled, lower, upper);
    }

    private static string Percent(double share) => (share * 100).ToString("0.##", Invariant) + " %";

    private static string Signed(double value, string format = "0.00") =>
        (value >= 0 ? "+" : "−") + Math.Abs(value).ToString(format, Invariant);

    internal static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalMinutes % 60 == 0 ? string.Create(Invariant, $"{span.TotalHours:0.##} h")
        : span.TotalMinutes >= 1 && span.TotalSeconds % 60 == 0 ? string.Create(Invariant, $"{span.TotalMinutes:0.##} min")
        : string.Create(Invariant, $"{span.TotalSeconds:0.##} s");
}
