using System.Globalization;
using Portal.Ml.Featurization;

namespace Portal.Ml.Serving;

/// <summary>The verdict on one ground-truth label: right or wrong (classification), how far off (regression), or why it cannot be judged.</summary>
public readonly record struct FeedbackVerdict(bool? Correct, double? AbsoluteError, string? Problem);

/// <summary>
/// Judges an actual label against what was predicted, when it arrives. Classification: the same class name (ordinal, then
/// ignoring case), or for a binary model the same side in any of the spellings training accepts (1/0, true/false,
/// yes/no, y/n, t/f). Regression: the absolute difference from the predicted score; the label must be a number.
/// </summary>
public static class FeedbackJudge
{
    public static FeedbackVerdict Judge(string? predictedLabel, double? predictedScore, IReadOnlyCollection<string>? classes, string actual)
    {
        ArgumentNullException.ThrowIfNull(actual);
        if (predictedScore is { } score)
        {
            return double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                ? new FeedbackVerdict(null, Math.Abs(score - value), null)
                : new FeedbackVerdict(null, null, $"The model is a regression: the actual label must be a number, not '{actual}'.");
        }

        if (predictedLabel is null)
        {
            return new FeedbackVerdict(null, null, "The prediction has neither a label nor a score to judge.");
        }

        if (string.Equals(predictedLabel, actual, StringComparison.Ordinal) || string.Equals(predictedLabel, actual.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return new FeedbackVerdict(true, null, null);
        }

        if (classes is { Count: > 0 } && classes.Contains(actual.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            return new FeedbackVerdict(false, null, null);
        }

        if (LabelEncoding.TryReadSpelling(predictedLabel, out var predictedPositive) && LabelEncoding.TryReadSpelling(actual, out var actualPositive))
        {
            return new FeedbackVerdict(predictedPositive == actualPositive, null, null);
        }

        // A binary model whose classes have names (e.g. "bad"/"good"): the first class is the positive one.
        if (classes is { Count: 2 } && LabelEncoding.TryReadSpelling(actual, out var positive))
        {
            var named = positive ? classes.First() : classes.Last();
            return new FeedbackVerdict(string.Equals(named, predictedLabel, StringComparison.Ordinal), null, null);
        }

        return classes is { Count: > 0 }
            ? new FeedbackVerdict(null, null, $"'{actual}' is not one of the model's classes ({string.Join(", ", classes)}).")
            : new FeedbackVerdict(false, null, null);
    }
}
