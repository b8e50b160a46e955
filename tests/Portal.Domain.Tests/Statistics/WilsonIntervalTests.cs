using Portal.Domain.Statistics;

namespace Portal.Domain.Tests.Statistics;

/// <summary>Wilson's score interval against the published values of Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3.</summary>
public sealed class WilsonIntervalTests
{
    [Theory]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void BoundsMatchNewcombesTableAtNinetyFivePercent(long successes, long trials, double lower, double upper)
    {
        var interval = WilsonInterval.Of(successes, trials, 0.95)!;

        Assert.Equal(lower, interval.Lower, 4);
        Assert.Equal(upper, interval.Upper, 4);
        Assert.Equal((double)successes / trials, interval.Estimate, 12);
    }

    [Fact]
    public void NoTrialsGiveNoInterval()
    {
        Assert.Null(WilsonInterval.Of(0, 0, 0.95));
    }

    [Fact]
    public void MoreSuccessesThanTrialsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Of(5, 4, 0.95));
    }
}
