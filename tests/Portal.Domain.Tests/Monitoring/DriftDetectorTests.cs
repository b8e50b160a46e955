using Portal.Domain.Monitoring;
using Portal.Domain.Monitoring.Drift;

namespace Portal.Domain.Tests.Monitoring;

/// <summary>The drift rule, missing and unseen values, and the fast KS statistic against the direct one.</summary>
public sealed class DriftDetectorTests
{
    private static readonly MonitoringPolicy Policy = MonitoringPolicy.Default with { StatisticalTestMaxRows = 1000, PValueThreshold = 0.05, PsiThreshold = 0.2 };

    [Fact]
    public void AnIdentifierLikeCategoricalFeatureIsLeftOutWhileALowCardinalityOneIsCompared()
    {
        // Arrange: every reference row has its own e-mail address; the plan column has three values
        var emails = Enumerable.Range(0, 1000).Select(i => (string?)$"user{i}@example.org").ToArray();
        var plans = Enumerable.Range(0, 1000).Select(i => (string?)(i % 3 == 0 ? "basic" : i % 3 == 1 ? "plus" : "pro")).ToArray();
        var reference = DriftReference.Build([FeatureColumn.Categorical("email", emails), FeatureColumn.Categorical("plan", plans)]);
        var liveEmails = Enumerable.Range(0, 300).Select(i => (string?)$"new{i}@example.org").ToArray();
        var livePlans = Enumerable.Range(0, 300).Select(i => (string?)(i % 3 == 0 ? "basic" : i % 3 == 1 ? "plus" : "pro")).ToArray();

        // Act
        var report = DriftDetector.Compare(reference, [FeatureColumn.Categorical("email", liveEmails), FeatureColumn.Categorical("plan", livePlans)], Policy);

        // Assert: every live address is new, which says nothing about drift; the plan's unchanged mix is not drifted
        Assert.True(reference.Find("email")!.IsIdentifierLike);
        var plan = Assert.Single(report.Features);
        Assert.Equal("plan", plan.Name);
        Assert.False(plan.Drifted);
    }

    [Fact]
    public void SmallShiftedWindowIsJudgedDriftedByItsPValue()
    {
        var reference = DriftReference.Build([FeatureColumn.Numeric("x", Normal(1, 20_000, 0))]);

        var drift = DriftDetector.Compare(reference, [FeatureColumn.Numeric("x", Normal(2, 500, 0.3))], Policy).Features.Single();

        Assert.True(drift.PValue < 0.05, $"p = {drift.PValue}");
        Assert.True(drift.Psi < Policy.PsiThreshold, $"PSI = {drift.Psi}");
        Assert.True(drift.Drifted);
        Assert.Equal(DriftTest.Ks, drift.Test);
    }

    [Fact]
    public void LargeWindowWithATinyShiftIsSignificantButNotDriftedByPsi()
    {
        var reference = DriftReference.Build([FeatureColumn.Numeric("x", Normal(1, 20_000, 0))]);

        var drift = DriftDetector.Compare(reference, [FeatureColumn.Numeric("x", Normal(2, 200_000, 0.05))], Policy).Features.Single();

        Assert.True(drift.PValue < 1e-6, $"p = {drift.PValue}");
        Assert.False(drift.Drifted, $"PSI = {drift.Psi}");
    }

    [Fact]
    public void MissingValuesTakeNoPartInDrift()
    {
        var values = Normal(3, 300, 0.2);
        var withMissing = values.SelectMany((v, i) => i % 10 == 0 ? new[] { v, double.NaN } : [v]).ToArray();
        var reference = DriftReference.Build([FeatureColumn.Numeric("x", Normal(4, 2000, 0))]);

        var clean = DriftDetector.Compare(reference, [FeatureColumn.Numeric("x", values)], Policy).Features.Single();
        var gappy = DriftDetector.Compare(reference, [FeatureColumn.Numeric("x", withMissing)], Policy).Features.Single();

        Assert.Equal(clean, gappy);
    }

    [Fact]
    public void UnseenCategoriesStayOutOfTheChiSquareButRaiseThePsi()
    {
        string?[] referenceValues = [.. Enumerable.Range(0, 300).Select(i => i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c")];
        string?[] seenOnly = [.. Enumerable.Range(0, 90).Select(i => i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c")];
        var withUnseen = seenOnly.Concat(Enumerable.Repeat<string?>("zz", 30)).Concat([null, null]).ToArray();
        var reference = DriftReference.Build([FeatureColumn.Categorical("c", referenceValues)]);

        var seen = DriftDetector.Compare(reference, [FeatureColumn.Categorical("c", seenOnly)], Policy).Features.Single();
        var unseen = DriftDetector.Compare(reference, [FeatureColumn.Categorical("c", withUnseen)], Policy).Features.Single();

        Assert.Equal(seen.Statistic, unseen.Statistic);
        Assert.Equal(seen.PValue, unseen.PValue);
        Assert.Equal(0, seen.Psi, 12);
        Assert.True(unseen.Psi > 1, $"PSI = {unseen.Psi}");
    }

    [Fact]
    public void WindowWithoutValuesReportsNoDrift()
    {
        var reference = DriftReference.Build([FeatureColumn.Numeric("x", Normal(5, 100, 0))]);

        var drift = DriftDetector.Compare(reference, [FeatureColumn.Numeric("x", [double.NaN, double.NaN])], Policy).Features.Single();

        Assert.Equal(new FeatureDrift("x", FeatureKind.Numeric, DriftTest.Ks, 0, 1, 0, false), drift);
    }

    [Fact]
    public void FeatureOfAnotherKindInTheWindowIsRefused()
    {
        var reference = DriftReference.Build([FeatureColumn.Numeric("x", [1, 2, 3])]);

        var error = Assert.Throws<ArgumentException>(() => DriftDetector.Compare(reference, [FeatureColumn.Categorical("x", ["a"])], Policy));

        Assert.Contains("numeric in the reference but categorical", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportKeepsTheReferenceOrderAndSkipsFeaturesTheWindowLacks()
    {
        var reference = DriftReference.Build([FeatureColumn.Numeric("b", [1, 2]), FeatureColumn.Numeric("a", [1, 2]), FeatureColumn.Categorical("c", ["x"])]);

        var report = DriftDetector.Compare(reference, [FeatureColumn.Numeric("a", [1]), FeatureColumn.Numeric("b", [2, 3, 4])], Policy);

        Assert.Equal(["b", "a"], report.Features.Select(f => f.Name));
        Assert.Equal(2, report.ReferenceRows);
        Assert.Equal(3, report.CurrentRows);
    }

    [Theory]
    [InlineData(11, 5000, 300, 0)]
    [InlineData(12, 800, 20_000, 7)]
    [InlineData(13, 200, 150, 3)]
    [InlineData(14, 70_000, 12_000, 0)]
    public void StatisticFromReferenceCountsEqualsTheDirectTwoSampleStatistic(int seed, int referenceRows, int currentRows, int roundTo)
    {
        var random = new Random(seed);
        double Draw(double shift) => roundTo > 0 ? Math.Round((random.NextDouble() * 10) + shift) : (random.NextDouble() * 10) + shift;
        var referenceValues = Enumerable.Range(0, referenceRows).Select(_ => Draw(0)).ToArray();
        var currentValues = Enumerable.Range(0, currentRows).Select(_ => Draw(0.4)).Concat([-50, 1e6]).ToArray();

        var fast = DriftDetector.Compare(DriftReference.Build([FeatureColumn.Numeric("x", referenceValues)]), [FeatureColumn.Numeric("x", currentValues)], Policy).Features.Single();
        var direct = KolmogorovSmirnov.TwoSample(referenceValues, currentValues);

        Assert.Equal(direct.Statistic, fast.Statistic);
        Assert.Equal(direct.PValue, fast.PValue);
    }

    private static double[] Normal(int seed, int count, double shift)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())) + shift)];
    }
}
