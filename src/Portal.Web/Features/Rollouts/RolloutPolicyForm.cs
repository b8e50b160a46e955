using System.Globalization;
using Portal.Domain.Rollouts;

namespace Portal.Web.Features.Rollouts;

/// <summary>
/// The rollout-policy editor's fields as people type them (steps as "10, 50, 100", durations in minutes, margins in points),
/// what is wrong with them in words, and the <see cref="RolloutPolicy"/> they make.
/// </summary>
public sealed class RolloutPolicyForm
{
    public const int MaxSteps = 10;

    public string Steps { get; set; } = "10, 50, 100";

    public int MinimumSamplesPerArm { get; set; } = RolloutPolicy.Default.MinimumSamplesPerArm;

    public double MinimumStepMinutes { get; set; } = RolloutPolicy.Default.MinimumStepDuration.TotalMinutes;

    public double MaximumStepHours { get; set; } = RolloutPolicy.Default.MaximumStepDuration.TotalHours;

    /// <summary>Accuracy points (classification) or percent of the champion's mean absolute error (regression).</summary>
    public double TaskMetricMarginPercent { get; set; } = RolloutPolicy.Default.TaskMetricMargin * 100;

    public double ErrorRateMarginPercent { get; set; } = RolloutPolicy.Default.ErrorRateMargin * 100;

    public double ConfidencePercent { get; set; } = RolloutPolicy.Default.Confidence * 100;

    public static RolloutPolicyForm From(RolloutPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new()
        {
            Steps = string.Join(", ", policy.Steps),
            MinimumSamplesPerArm = policy.MinimumSamplesPerArm,
            MinimumStepMinutes = Math.Round(policy.MinimumStepDuration.TotalMinutes, 2),
            MaximumStepHours = Math.Round(policy.MaximumStepDuration.TotalHours, 2),
            TaskMetricMarginPercent = Math.Round(policy.TaskMetricMargin * 100, 4),
            ErrorRateMarginPercent = Math.Round(policy.ErrorRateMargin * 100, 4),
            ConfidencePercent = Math.Round(policy.Confidence * 100, 4),
        };
    }

    /// <summary>The steps as numbers, or null when the text is not a list of whole numbers.</summary>
    public IReadOnlyList<int>? ParsedSteps()
    {
        var parts = (Steps ?? "").Split([',', ' ', '→', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.TrimEnd('%')).Where(p => p.Length > 0).ToList();
        var steps = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var step))
            {
                return null;
            }

            steps.Add(step);
        }

        return steps;
    }

    /// <summary>Every problem, each naming its field and what would be accepted; empty when the policy is valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var steps = ParsedSteps();
        if (steps is null || steps.Count == 0)
        {
            problems.Add("Steps: give the canary's share at each step as whole percentages separated by commas, e.g. 10, 50, 100.");
        }
        else if (steps.Count > MaxSteps)
        {
            problems.Add($"Steps: at most {MaxSteps} steps.");
        }
        else if (steps.Any(s => s is < 1 or > 100) || steps.Zip(steps.Skip(1)).Any(p => p.Second <= p.First) || steps[^1] != 100)
        {
            problems.Add("Steps: each share is between 1 and 100, larger than the one before, and the last one is 100 (the promotion itself).");
        }

        if (MinimumSamplesPerArm is < 10 or > 1_000_000)
        {
            problems.Add("Minimum samples per arm: between 10 and 1,000,000 predictions with ground truth.");
        }

        if (!(MinimumStepMinutes is >= 0.5 and <= 10_080))
        {
            problems.Add("Minimum step duration: between 0.5 minutes and 7 days (10,080 minutes).");
        }

        if (!(MaximumStepHours is > 0 and <= 720) || MaximumStepHours * 60 < MinimumStepMinutes)
        {
            problems.Add("Maximum step duration: up to 30 days (720 hours), and no shorter than the minimum step duration.");
        }

        if (!(TaskMetricMarginPercent is >= 0 and <= 50))
        {
            problems.Add("Task-metric margin: between 0 and 50.");
        }

        if (!(ErrorRateMarginPercent is >= 0 and <= 50))
        {
            problems.Add("Error-rate margin: between 0 and 50 points.");
        }

        if (!(ConfidencePercent is >= 50.5 and <= 99.9))
        {
            problems.Add("Confidence: between 50.5 % and 99.9 % (one-sided), e.g. 95.");
        }

        return problems;
    }

    /// <summary>The policy; only when <see cref="Problems"/> is empty.</summary>
    public RolloutPolicy ToPolicy() =>
        Problems().Count > 0
            ? throw new InvalidOperationException("The rollout policy has problems: " + string.Join(" ", Problems()))
            : new RolloutPolicy(ParsedSteps()!, MinimumSamplesPerArm, TimeSpan.FromMinutes(MinimumStepMinutes), TimeSpan.FromHours(MaximumStepHours),
                TaskMetricMarginPercent / 100, ErrorRateMarginPercent / 100, ConfidencePercent / 100);
}
