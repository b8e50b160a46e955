using System.Text.Json.Nodes;
using Portal.Domain.Formatting;
using Portal.Domain.Runs;

namespace Portal.Domain.Diagnostics;

/// <summary>
/// Rules over learning curves (training and validation loss per step): Overfitting, LossNotDecreasing and
/// ExplodingLoss. Losses are "lower is better". Each returns null when the rule does not fire.
/// </summary>
public static class LearningCurveRules
{
    /// <summary>
    /// Overfitting, fired on either of two signs, each only when the change is larger than noise (an absolute floor:
    /// <see cref="DiagnosticThresholds.OverfittingMinimumGap"/>, or <see cref="DiagnosticThresholds.OverfittingMinimumGapShareOfStart"/>
    /// of the starting validation loss when that is larger):
    /// <list type="bullet">
    /// <item>diverging: for at least <see cref="DiagnosticThresholds.PatienceSteps"/> steps since its best, the validation
    /// loss rose by more than the floor while the training loss fell;</item>
    /// <item>a growing gap: at the last step the validation loss is above the training loss by more than
    /// <see cref="DiagnosticThresholds.OverfittingGapRatio"/> and by more than the floor, and the gap grew over the last
    /// part of the curve (<see cref="DiagnosticThresholds.OverfittingWindowShare"/>) by at least half the floor. A gap
    /// that was there from the start and stays flat does not fire.</item>
    /// </list>
    /// </summary>
    public static DiagnosticFinding? Overfitting(IReadOnlyList<MetricPoint> train, IReadOnlyList<MetricPoint> validation, DiagnosticThresholds thresholds)
    {
        var pairs = Pair(train, validation);
        var k = thresholds.PatienceSteps;
        if (pairs.Count < 2)
        {
            return null;
        }

        var floor = Math.Max(thresholds.OverfittingMinimumGap, thresholds.OverfittingMinimumGapShareOfStart * Math.Abs(pairs[0].Validation));
        var bestValidation = pairs.MinBy(p => p.Validation)!;
        var last = pairs[^1];
        var stepsSinceBest = pairs.Count(p => p.Step > bestValidation.Step);
        var rise = last.Validation - bestValidation.Validation;
        var diverging = stepsSinceBest >= k
            && rise > bestValidation.Validation * thresholds.MinRelativeImprovement
            && rise >= floor
            && last.Train < bestValidation.Train;

        var gap = last.Validation - last.Train;
        var relativeGap = last.Train > 0 ? gap / last.Train : 0;
        var window = Math.Min(pairs.Count - 1, Math.Max(k, (int)Math.Ceiling(pairs.Count * thresholds.OverfittingWindowShare)));
        var windowStart = pairs[pairs.Count - 1 - window];
        var gapGrowth = gap - (windowStart.Validation - windowStart.Train);
        var gapTooLarge = relativeGap > thresholds.OverfittingGapRatio && gap >= floor && gapGrowth >= floor / 2;
        if (!diverging && !gapTooLarge)
        {
            return null;
        }

        var message = diverging
            ? $"Validation loss rose from {NumberText.Format(bestValidation.Validation)} (step {bestValidation.Step}) to {NumberText.Format(last.Validation)} (step {last.Step}) while training loss fell from {NumberText.Format(bestValidation.Train)} to {NumberText.Format(last.Train)}."
            : $"Validation loss {NumberText.Format(last.Validation)} is {relativeGap:P0} above training loss {NumberText.Format(last.Train)} at step {last.Step}, and the gap grew by {NumberText.Format(gapGrowth)} since step {windowStart.Step}.";
        return new DiagnosticFinding(DiagnosticRules.Overfitting, DiagnosticSeverity.Warning, message, new JsonObject
        {
            ["bestValidationStep"] = bestValidation.Step,
            ["bestValidationLoss"] = bestValidation.Validation,
            ["lastStep"] = last.Step,
            ["lastValidationLoss"] = last.Validation,
            ["lastTrainingLoss"] = last.Train,
            ["relativeGap"] = relativeGap,
            ["gap"] = gap,
            ["gapGrowth"] = gapGrowth,
            ["gapGrowthSinceStep"] = windowStart.Step,
            ["minimumChange"] = floor,
            ["stepsSinceBestValidation"] = stepsSinceBest,
        });
    }

    /// <summary>
    /// LossNotDecreasing: within its first K steps after the starting point the loss never improved on the
    /// starting value by at least <see cref="DiagnosticThresholds.MinRelativeImprovement"/>. A curve that improves
    /// and then flattens has converged and does not fire.
    /// </summary>
    public static DiagnosticFinding? LossNotDecreasing(IReadOnlyList<MetricPoint> loss, DiagnosticThresholds thresholds)
    {
        var k = thresholds.PatienceSteps;
        if (loss.Count < k + 1)
        {
            return null;
        }

        var first = loss[0];
        var window = loss.Skip(1).Take(k).ToList();
        var best = window.MinBy(p => p.Value)!;
        if (best.Value < first.Value - (Math.Abs(first.Value) * thresholds.MinRelativeImprovement))
        {
            return null;
        }

        return new DiagnosticFinding(DiagnosticRules.LossNotDecreasing, DiagnosticSeverity.Warning,
            $"{first.Key} did not improve during the first {k} steps: {NumberText.Format(first.Value)} at step {first.Step}, best {NumberText.Format(best.Value)} at step {best.Step}.",
            new JsonObject
            {
                ["key"] = first.Key,
                ["firstStep"] = first.Step,
                ["firstLoss"] = first.Value,
                ["bestStep"] = best.Step,
                ["bestLoss"] = best.Value,
                ["windowLastStep"] = window[^1].Step,
                ["stepsWithoutImprovement"] = window.Count,
            });
    }

    /// <summary>
    /// ExplodingLoss: the newest point is NaN or infinite, or it is <see cref="DiagnosticThresholds.ExplodingFactor"/>
    /// times the minimum seen so far and above it by more than noise (<see cref="DiagnosticThresholds.ExplodingMinimumRise"/>,
    /// or <see cref="DiagnosticThresholds.ExplodingMinimumRiseShareOfStart"/> of the first finite loss when larger).
    /// Cheap enough to call after every point.
    /// </summary>
    public static DiagnosticFinding? ExplodingLoss(IReadOnlyList<MetricPoint> loss, DiagnosticThresholds thresholds)
    {
        if (loss.Count == 0)
        {
            return null;
        }

        var last = loss[^1];
        var finite = loss.Where(p => double.IsFinite(p.Value)).ToList();
        var min = finite.Count > 0 ? finite.MinBy(p => p.Value) : null;
        var notFinite = !double.IsFinite(last.Value);
        var minimumRise = finite.Count > 0 ? Math.Max(thresholds.ExplodingMinimumRise, thresholds.ExplodingMinimumRiseShareOfStart * Math.Abs(finite[0].Value)) : thresholds.ExplodingMinimumRise;
        var grew = min is not null && min.Value > 0 && last.Value >= min.Value * thresholds.ExplodingFactor && last.Value - min.Value >= minimumRise;
        if (!notFinite && !grew)
        {
            return null;
        }

        var message = notFinite
            ? $"{last.Key} became {last.Value} at step {last.Step}."
            : $"{last.Key} reached {NumberText.Format(last.Value)} at step {last.Step}, {NumberText.Format(last.Value / min!.Value)} times its minimum {NumberText.Format(min.Value)} (step {min.Step}).";
        return new DiagnosticFinding(DiagnosticRules.ExplodingLoss, DiagnosticSeverity.Critical, message, new JsonObject
        {
            ["key"] = last.Key,
            ["step"] = last.Step,
            ["loss"] = double.IsFinite(last.Value) ? last.Value : null,
            ["lossText"] = last.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["minimumLoss"] = min?.Value,
            ["minimumStep"] = min?.Step,
            ["factor"] = thresholds.ExplodingFactor,
            ["minimumRise"] = minimumRise,
        });
    }

    private static List<(long Step, double Train, double Validation)> Pair(IReadOnlyList<MetricPoint> train, IReadOnlyList<MetricPoint> validation)
    {
        var byStep = validation.GroupBy(p => p.Step).ToDictionary(g => g.Key, g => g.Last().Value);
        return train.Where(p => byStep.ContainsKey(p.Step))
            .Select(p => (p.Step, p.Value, byStep[p.Step]))
            .OrderBy(p => p.Step)
            .ToList();
    }
}
