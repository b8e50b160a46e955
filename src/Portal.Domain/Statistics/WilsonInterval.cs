using MathNet.Numerics.Distributions;

namespace Portal.Domain.Statistics;

/// <summary>A proportion with its two-sided confidence interval.</summary>
public sealed record ProportionInterval(double Estimate, double Lower, double Upper, double Confidence);

/// <summary>
/// Wilson's score interval for one binomial proportion (Wilson 1927; Agresti &amp; Coull 1998): unlike the Wald interval it
/// stays inside [0, 1] and does not collapse to a point when every trial succeeds or every one fails, which matters for the
/// small per-minute counts of a rollout's live figures and for error rates near zero.
/// </summary>
public static class WilsonInterval
{
    /// <summary>Two-sided interval at <paramref name="confidence"/> (e.g. 0.95) for <paramref name="successes"/> out of <paramref name="trials"/>; null without trials.</summary>
    public static ProportionInterval? Of(long successes, long trials, double confidence)
    {
        PairedProportionInterval.ValidateConfidence(confidence);
        if (trials <= 0)
        {
            return null;
        }

        if (successes < 0 || successes > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"Successes must be between 0 and the {trials} trials.");
        }

        var (lower, upper) = WilsonScore.Interval(successes, trials, Normal.InvCDF(0, 1, (1 + confidence) / 2));
        return new ProportionInterval((double)successes / trials, lower, upper, confidence);
    }
}
