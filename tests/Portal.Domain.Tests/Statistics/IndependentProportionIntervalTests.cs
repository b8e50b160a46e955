using Portal.Domain.Statistics;

namespace Portal.Domain.Tests.Statistics;

/// <summary>Newcombe's hybrid score interval and Welch's interval against published values.</summary>
public sealed class IndependentProportionIntervalTests
{
    // Newcombe 1998, Stat Med 17:873–890, Table II, method 10 (score, no continuity correction), 95 % intervals.
    [Theory]
    [InlineData(56, 70, 48, 80, 0.0524, 0.3339)]
    [InlineData(9, 10, 3, 10, 0.1705, 0.8090)]
    [InlineData(6, 7, 2, 7, 0.0582, 0.8062)]
    [InlineData(5, 56, 0, 29, -0.0381, 0.1926)]
    [InlineData(0, 10, 0, 20, -0.1611, 0.2775)]
    [InlineData(10, 10, 0, 20, 0.6791, 1.0000)]
    public void HybridScoreIntervalMatchesNewcombesPublishedExamples(int x1, int n1, int x2, int n2, double lower, double upper)
    {
        var interval = IndependentProportionInterval.TwoSided(x1, n1, x2, n2, 0.95);

        Assert.Equal((double)x1 / n1 - ((double)x2 / n2), interval.Estimate, 12);
        Assert.Equal(lower, interval.Lower, 4);
        Assert.Equal(upper, interval.Upper, 4);
    }

    [Fact]
    public void OneSidedBoundsAtNinetyFivePercentAreTheTwoSidedNinetyPercentInterval()
    {
        var oneSided = IndependentProportionInterval.OneSidedBounds(56, 70, 48, 80, 0.95);
        var twoSided90 = IndependentProportionInterval.TwoSided(56, 70, 48, 80, 0.90);

        Assert.Equal(twoSided90.Lower, oneSided.Lower, 12);
        Assert.Equal(twoSided90.Upper, oneSided.Upper, 12);
        Assert.True(oneSided.Lower > IndependentProportionInterval.TwoSided(56, 70, 48, 80, 0.95).Lower);
    }

    [Fact]
    public void EmptyArmIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => IndependentProportionInterval.TwoSided(0, 0, 1, 10, 0.95));

    [Fact]
    public void WelchIntervalMatchesRsTTestOnTheSleepData()
    {
        // R: t.test(extra ~ group, data = sleep) → t = -1.8608, df = 17.776, 95 % CI -3.3654832 0.2054832.
        double[] group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
        double[] group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
        var first = SampleSummary.FromSums(group1.Length, group1.Sum(), group1.Sum(x => x * x));
        var second = SampleSummary.FromSums(group2.Length, group2.Sum(), group2.Sum(x => x * x));

        var interval = WelchInterval.TwoSided(first, second, 0.95);

        Assert.Equal(17.776, WelchInterval.DegreesOfFreedom(first, second), 3);
        Assert.Equal(-1.58, interval.Estimate, 10);
        Assert.Equal(-3.3654832, interval.Lower, 6);
        Assert.Equal(0.2054832, interval.Upper, 6);
    }
}
