using Portal.Domain.Statistics;

namespace Portal.Domain.Tests.Statistics;

/// <summary>AUC by ranks, against published values, with ties and resample weights.</summary>
public sealed class RocAucTests
{
    [Fact]
    public void MatchesScikitLearnsDocumentedExample()
    {
        // scikit-learn roc_auc_score documentation: y_true = [0, 0, 1, 1], y_scores = [0.1, 0.4, 0.35, 0.8] → 0.75.
        Assert.Equal(0.75, RocAuc.Of([false, false, true, true], [0.1, 0.4, 0.35, 0.8]), 12);
    }

    [Fact]
    public void MatchesHanleyAndMcNeilOnHeavilyTiedRatings()
    {
        // Hanley & McNeil (1982), Radiology 143:29–36, Table 1: CT ratings 1–5 of 58 normal and 51 abnormal cases;
        // the Wilcoxon area with ties counted ½ is W = 0.893 (exactly 2642 / 2958 = 0.89317).
        var (labels, scores) = Ratings(normal: [33, 6, 6, 11, 2], abnormal: [3, 2, 2, 11, 33]);

        Assert.Equal(0.89317, RocAuc.Of(labels, scores), 5);
    }

    [Fact]
    public void AllScoresTiedIsAHalf()
    {
        Assert.Equal(0.5, RocAuc.Of([true, false, true, false, false], [0.3, 0.3, 0.3, 0.3, 0.3]), 12);
    }

    [Fact]
    public void OneClassOnlyIsRefusedWithTheReason()
    {
        var error = Assert.Throws<ArgumentException>(() => RocAuc.Of([true, true, true], [0.1, 0.2, 0.3]));
        Assert.Contains("both classes", error.Message, StringComparison.Ordinal);
        Assert.Contains("all 3 rows are positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingScoreIsRefusedWithTheRow()
    {
        var error = Assert.Throws<ArgumentException>(() => RocAuc.Of([true, false, true], [0.1, double.NaN, 0.3]));
        Assert.Contains("Row 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WeightsCountRowsAsIfTheyWereRepeated()
    {
        bool[] labels = [true, false, true, false, true, false, false];
        double[] scores = [0.9, 0.8, 0.8, 0.3, 0.2, 0.2, 0.1];
        int[] counts = [2, 0, 3, 1, 1, 2, 0];
        var repeatedLabels = new List<bool>();
        var repeatedScores = new List<double>();
        for (var i = 0; i < labels.Length; i++)
        {
            repeatedLabels.AddRange(Enumerable.Repeat(labels[i], counts[i]));
            repeatedScores.AddRange(Enumerable.Repeat(scores[i], counts[i]));
        }

        Assert.Equal(RocAuc.Of(repeatedLabels, repeatedScores), new RocAuc(labels, scores).Weighted(counts), 12);
    }

    [Fact]
    public void WeightsThatLeaveOneClassEmptyGiveNoValue()
    {
        Assert.True(double.IsNaN(new RocAuc([true, false], [0.9, 0.1]).Weighted([2, 0])));
    }

    private static (bool[] Labels, double[] Scores) Ratings(int[] normal, int[] abnormal)
    {
        var labels = new List<bool>();
        var scores = new List<double>();
        for (var rating = 1; rating <= normal.Length; rating++)
        {
            labels.AddRange(Enumerable.Repeat(false, normal[rating - 1]));
            scores.AddRange(Enumerable.Repeat((double)rating, normal[rating - 1]));
            labels.AddRange(Enumerable.Repeat(true, abnormal[rating - 1]));
            scores.AddRange(Enumerable.Repeat((double)rating, abnormal[rating - 1]));
        }

        return ([.. labels], [.. scores]);
    }
}
