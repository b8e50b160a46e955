using Portal.Domain.Diagnostics;
using Portal.Domain.Runs;

namespace Portal.Domain.Tests.Diagnostics;

public sealed class DataRulesTests
{
    private static readonly DiagnosticThresholds Defaults = new();

    [Fact]
    public void ConstantColumnFiresWhenEveryPresentValueIsTheSame()
    {
        var finding = DataRules.ConstantColumn("country", ["DE", "DE", "", "DE"]);

        Assert.NotNull(finding);
        Assert.Equal("DE", (string)finding.Evidence["value"]!);
        Assert.Equal(3, (int)finding.Evidence["nonMissingRows"]!);
    }

    [Fact]
    public void ConstantColumnDoesNotFireWithTwoValues() => Assert.Null(DataRules.ConstantColumn("country", ["DE", "FR", "DE"]));

    [Fact]
    public void MostlyMissingFiresAboveTheShare()
    {
        var finding = DataRules.MostlyMissing("phone", ["1", "", "", ""], Defaults);

        Assert.NotNull(finding);
        Assert.Equal(0.75, (double)finding.Evidence["missingShare"]!);
    }

    [Fact]
    public void MostlyMissingDoesNotFireAtHalf() => Assert.Null(DataRules.MostlyMissing("phone", ["1", "2", "", ""], Defaults));

    [Fact]
    public void NumericConstantColumnIgnoresMissingValues()
    {
        var finding = DataRules.ConstantColumn("term_months", [36.0, double.NaN, 36.0]);

        Assert.NotNull(finding);
        Assert.Equal("36", (string)finding.Evidence["value"]!);
        Assert.Equal(2, (int)finding.Evidence["nonMissingRows"]!);
    }

    [Fact]
    public void NumericConstantColumnDoesNotFireWithTwoValues() => Assert.Null(DataRules.ConstantColumn("age", [31.0, double.NaN, 32.5]));

    [Fact]
    public void NumericMostlyMissingCountsNaN()
    {
        var finding = DataRules.MostlyMissing("income", [double.NaN, double.NaN, 1.0, double.NaN], Defaults);

        Assert.NotNull(finding);
        Assert.Equal(3, (int)finding.Evidence["missing"]!);
        Assert.Null(DataRules.MostlyMissing("income", [double.NaN, 2.0, 1.0, double.NaN], Defaults));
    }

    [Fact]
    public void ClassImbalanceReportsTheMinorityShareAndRatio()
    {
        var labels = Enumerable.Repeat("0", 95).Concat(Enumerable.Repeat("1", 5)).ToList();

        var finding = DataRules.ClassImbalance(labels, Defaults);

        Assert.NotNull(finding);
        Assert.Equal("1", (string)finding.Evidence["minorityClass"]!);
        Assert.Equal(0.05, (double)finding.Evidence["minorityShare"]!, 9);
        Assert.Equal(19, (double)finding.Evidence["ratio"]!, 9);
    }

    [Fact]
    public void ClassImbalanceDoesNotFireOnAThirtySeventySplit() =>
        Assert.Null(DataRules.ClassImbalance(Enumerable.Repeat("0", 70).Concat(Enumerable.Repeat("1", 30)).ToList(), Defaults));

    [Fact]
    public void TooFewRowsFiresForManyFeaturesAndFewRows()
    {
        var finding = DataRules.TooFewRows(MlTask.Regression, 100, 20, null, Defaults);

        Assert.NotNull(finding);
        Assert.Equal(200, (int)finding.Evidence["minimumRows"]!);
    }

    [Fact]
    public void TooFewRowsFiresWhenAClassHasTooFewRows() =>
        Assert.NotNull(DataRules.TooFewRows(MlTask.Binary, 1000, 5, Enumerable.Repeat("0", 995).Concat(Enumerable.Repeat("1", 5)).ToList(), Defaults));

    [Fact]
    public void TooFewRowsDoesNotFireOnAmpleData() =>
        Assert.Null(DataRules.TooFewRows(MlTask.Binary, 1000, 10, Enumerable.Repeat("0", 500).Concat(Enumerable.Repeat("1", 500)).ToList(), Defaults));
}
