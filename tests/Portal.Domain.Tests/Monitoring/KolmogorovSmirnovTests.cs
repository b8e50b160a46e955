using Portal.Domain.Monitoring.Drift;

namespace Portal.Domain.Tests.Monitoring;

/// <summary>Published values of the two-sample KS test and of the Kolmogorov distribution.</summary>
public sealed class KolmogorovSmirnovTests
{
    [Fact]
    public void ExactPValueOfCompletelySeparatedSamplesIsTwoOverTheBinomial()
    {
        // Every x below every y: D = 1, P(D ≥ 1) = 2 / C(n1 + n2, n1) = 2 / C(9, 4) = 2 / 126.
        var result = KolmogorovSmirnov.TwoSample([1, 2, 3, 4], [5, 6, 7, 8, 9]);

        Assert.True(result.Exact);
        Assert.Equal(1.0, result.Statistic);
        Assert.Equal(2.0 / 126, result.PValue, 15);
    }

    [Fact]
    public void IdenticalSamplesHavePValueOne()
    {
        var result = KolmogorovSmirnov.TwoSample([1, 2, 3], [1, 2, 3]);

        Assert.Equal(0, result.Statistic);
        Assert.Equal(1, result.PValue);
    }

    [Fact]
    public void LargeSamplesUseTheAsymptoticDistribution()
    {
        var result = KolmogorovSmirnov.FromStatistic(0.02, 10_001, 5000);

        Assert.False(result.Exact);
        // scipy.stats.kstwo.sf(0.02, round(10001 * 5000 / 15001)) = kstwo.sf(0.02, 3333)
        Assert.Equal(KolmogorovDistribution.Survival(3333, 0.02), result.PValue);
    }

    [Theory]
    // scipy.stats.kstwo.sf(x, n), SciPy 1.10.1.
    [InlineData(1000, 0.05, 0.013012074781090332)]
    [InlineData(100, 0.1, 0.2526927570063874)]
    [InlineData(100, 0.2, 0.0005551927327988775)]
    [InlineData(100, 0.06, 0.8428847956274123)]
    [InlineData(90909, 0.003, 0.3857468564468999)]
    [InlineData(90909, 0.01, 2.5218718824770485e-08)]
    public void KolmogorovSurvivalMatchesScipy(long n, double x, double expected)
    {
        Assert.Equal(expected, KolmogorovDistribution.Survival(n, x), 1e-12);
    }
}
