using Portal.Domain.Diagnostics;
using Portal.Domain.Runs;

namespace Portal.Domain.Tests.Diagnostics;

public sealed class LabelLeakageRuleTests
{
    private static readonly DiagnosticThresholds Defaults = new();

    [Fact]
    public void NumericFeatureThatSeparatesTheClassesIsLeakage()
    {
        var labels = Enumerable.Range(0, 200).Select(i => (double)(i % 2)).ToList();
        var values = labels.Select((y, i) => (y * 100) + (i % 7)).ToList();

        var finding = LabelLeakageRule.Numeric("days_in_arrears", values, labels, MlTask.Binary, Defaults);

        Assert.NotNull(finding);
        Assert.Equal(1.0, (double)finding.Evidence["score"]!, 9);
    }

    [Fact]
    public void SingleFeatureAucCountsTiedPairsAsHalf()
    {
        // Positives at 1 and 2, negatives at 1 and 3, repeated: of the four positive/negative pairs one is a tie
        // (half), one is ordered right, two wrong: AUC 1.5 / 4 = 0.375, reported as max(AUC, 1 - AUC).
        var values = Enumerable.Repeat(new[] { 1.0, 1.0, 2.0, 3.0 }, 5).SelectMany(v => v).ToList();
        var labels = Enumerable.Repeat(new[] { 0.0, 1.0, 1.0, 0.0 }, 5).SelectMany(v => v).ToList();

        var finding = LabelLeakageRule.Numeric("x", values, labels, MlTask.Binary, new DiagnosticThresholds { LeakageScore = 0.6 });

        Assert.NotNull(finding);
        Assert.Equal(0.625, (double)finding.Evidence["score"]!, 12);
    }

    [Fact]
    public void InverselyRelatedFeatureIsAlsoLeakage()
    {
        var labels = Enumerable.Range(0, 200).Select(i => (double)(i % 2)).ToList();

        Assert.NotNull(LabelLeakageRule.Numeric("x", labels.Select(y => -y).ToList(), labels, MlTask.Binary, Defaults));
    }

    [Fact]
    public void NoisyPredictiveFeatureIsNotLeakage()
    {
        var random = new Random(4);
        var labels = Enumerable.Range(0, 500).Select(i => (double)(i % 2)).ToList();
        var values = labels.Select(y => y + (random.NextDouble() * 2)).ToList();

        Assert.Null(LabelLeakageRule.Numeric("income", values, labels, MlTask.Binary, Defaults));
    }

    [Fact]
    public void RegressionFeatureCorrelatedAlmostPerfectlyIsLeakage()
    {
        var labels = Enumerable.Range(0, 100).Select(i => (double)i).ToList();

        Assert.NotNull(LabelLeakageRule.Numeric("price_copy", labels.Select(y => (2 * y) + 3).ToList(), labels, MlTask.Regression, Defaults));
    }

    [Fact]
    public void CategoryThatDeterminesTheLabelIsLeakage()
    {
        var values = Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? "closed_default" : "repaid").ToList();
        var labels = Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? "1" : "0").ToList();

        var finding = LabelLeakageRule.Categorical("account_status", values, labels, Defaults);

        Assert.NotNull(finding);
        Assert.Equal(2, (int)finding.Evidence["distinctValues"]!);
    }

    [Fact]
    public void IdentifierColumnIsNotLeakage()
    {
        var values = Enumerable.Range(0, 100).Select(i => $"id{i}").ToList();
        var labels = Enumerable.Range(0, 100).Select(i => (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.Null(LabelLeakageRule.Categorical("applicant_id", values, labels, Defaults));
    }

    [Fact]
    public void CategoryIndependentOfTheLabelIsNotLeakage()
    {
        var values = Enumerable.Range(0, 100).Select(i => i % 3 == 0 ? "a" : "b").ToList();
        var labels = Enumerable.Range(0, 100).Select(i => (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.Null(LabelLeakageRule.Categorical("region", values, labels, Defaults));
    }
}
