using Portal.Domain.Statistics;

namespace Portal.Domain.Tests.Statistics;

/// <summary>The paired bootstrap: deterministic for a seed, centred where theory says, refusing what it cannot judge.</summary>
public sealed class PairedBootstrapTests
{
    [Fact]
    public void SameSeedGivesTheSameIntervalAndAnotherSeedAnother()
    {
        var (labels, challenger, champion) = Binary(rows: 2000, challengerNoise: 1.0, championNoise: 1.3, seed: 7);

        var first = PairedBootstrap.AucImprovement(labels, challenger, champion, new BootstrapOptions(Seed: 42));
        var again = PairedBootstrap.AucImprovement(labels, challenger, champion, new BootstrapOptions(Seed: 42));
        var other = PairedBootstrap.AucImprovement(labels, challenger, champion, new BootstrapOptions(Seed: 43));

        Assert.Equal(first, again);
        Assert.NotEqual(first.Lower, other.Lower);
    }

    [Fact]
    public void ClearlyBetterChallengerHasAnAucIntervalAboveZeroAroundTheObservedImprovement()
    {
        var (labels, challenger, champion) = Binary(rows: 3000, challengerNoise: 0.5, championNoise: 1.5, seed: 3);

        var interval = PairedBootstrap.AucImprovement(labels, challenger, champion);

        Assert.Equal(RocAuc.Of(labels, challenger) - RocAuc.Of(labels, champion), interval.Observed, 12);
        Assert.True(interval.Lower > 0, $"lower {interval.Lower}");
        Assert.True(interval.Lower < interval.OneSidedLower && interval.OneSidedLower < interval.Observed && interval.Observed < interval.Upper);
        Assert.Equal(1000, interval.Resamples);
    }

    [Fact]
    public void IdenticalModelsGiveAZeroWidthIntervalAtZero()
    {
        var (labels, scores, _) = Binary(rows: 500, challengerNoise: 1, championNoise: 1, seed: 5);

        var interval = PairedBootstrap.AucImprovement(labels, scores, scores);

        Assert.Equal((0.0, 0.0, 0.0), (interval.Lower, interval.Upper, interval.Observed));
        Assert.False(interval.ReachesMargin(0.001));
    }

    [Fact]
    public void MaeIntervalAgreesWithTheNormalTheoryIntervalOfThePairedMeanDifference()
    {
        // The MAE difference is the mean of d_i = |champion error_i| − |challenger error_i|, so for many rows the
        // percentile bootstrap must come close to mean ± 1.96 · sd / √n (central limit theorem).
        var (labels, challenger, champion) = Regression(rows: 4000, seed: 11);
        var d = labels.Select((y, i) => Math.Abs(champion[i] - y) - Math.Abs(challenger[i] - y)).ToArray();
        var mean = d.Average();
        var se = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Length - 1) / d.Length);

        var interval = PairedBootstrap.MaeImprovement(labels, challenger, champion, new BootstrapOptions(Resamples: 2000));

        Assert.Equal(mean, interval.Observed, 12);
        Assert.Equal(mean - (1.96 * se), interval.Lower, se * 0.15);
        Assert.Equal(mean + (1.96 * se), interval.Upper, se * 0.15);
        Assert.Equal(mean - (1.645 * se), interval.OneSidedLower, se * 0.15);
    }

    [Fact]
    public void RmseImprovementIsTheChampionsRmseMinusTheChallengers()
    {
        double[] labels = [1, 2, 3, 4];
        double[] challenger = [1, 2, 3, 5];
        double[] champion = [2, 3, 4, 5];

        var interval = PairedBootstrap.RmseImprovement(labels, challenger, champion, new BootstrapOptions(Resamples: 100));

        Assert.Equal(1 - 0.5, interval.Observed, 12);
    }

    [Fact]
    public void RowsOfDifferentLengthAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => PairedBootstrap.RmseImprovement([1, 2], [1, 2], [1]));
        Assert.Contains("same rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneClassOnlyIsRefused()
    {
        Assert.Throws<ArgumentException>(() => PairedBootstrap.AucImprovement([false, false], [0.1, 0.2], [0.2, 0.1]));
    }

    [Fact]
    public void TooFewResamplesAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedBootstrap.MaeImprovement([1, 2], [1, 2], [1, 2], new BootstrapOptions(Resamples: 10)));
    }

    private static (bool[] Labels, double[] Challenger, double[] Champion) Binary(int rows, double challengerNoise, double championNoise, int seed)
    {
        var random = new Random(seed);
        var labels = new bool[rows];
        var challenger = new double[rows];
        var champion = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            labels[i] = random.NextDouble() < 0.4;
            var signal = labels[i] ? 1.0 : 0.0;
            challenger[i] = signal + (challengerNoise * Gaussian(random));
            champion[i] = signal + (championNoise * Gaussian(random));
        }

        return (labels, challenger, champion);
    }

    private static (double[] Labels, double[] Challenger, double[] Champion) Regression(int rows, int seed)
    {
        var random = new Random(seed);
        var labels = new double[rows];
        var challenger = new double[rows];
        var champion = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            labels[i] = 10 * random.NextDouble();
            challenger[i] = labels[i] + Gaussian(random);
            champion[i] = labels[i] + (1.1 * Gaussian(random));
        }

        return (labels, challenger, champion);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
