using Portal.Domain.Statistics;

namespace Portal.Domain.Tests.Statistics;

/// <summary>Group fairness: true-positive-rate gap, the four-fifths rule, and groups too small to judge.</summary>
public sealed class GroupFairnessTests
{
    private static readonly FairnessBounds Bounds = new(MaxTruePositiveRateGap: 0.1, MinSelectionRateRatio: 0.8, MinGroupRows: 30);

    [Fact]
    public void SelectionRatioBelowFourFifthsBreaches()
    {
        // Four-fifths rule (29 CFR 1607.4(D)): 48 of 80 selected (60 %) against 12 of 40 (30 %): 30 / 60 = 0.5 < 0.8.
        var rows = new Rows().Add("a", rows: 80, positives: 40, selected: 48, truePositives: 36).Add("b", rows: 40, positives: 30, selected: 12, truePositives: 12);

        var report = rows.Evaluate(Bounds);

        Assert.Equal(0.5, report.SelectionRateRatio!.Value, 12);
        Assert.Equal(FairnessVerdict.Breached, report.SelectionRateVerdict);
        Assert.Equal(FairnessVerdict.Breached, report.Verdict);
    }

    [Fact]
    public void SelectionRatioAtExactlyFourFifthsPasses()
    {
        // 50 % against 40 %: the ratio is 0.8, not below it.
        var report = new Rows().Add("a", 100, 50, 50, 40).Add("b", 100, 50, 40, 40).Evaluate(Bounds);

        Assert.Equal(0.8, report.SelectionRateRatio!.Value, 12);
        Assert.Equal(FairnessVerdict.WithinBounds, report.SelectionRateVerdict);
    }

    [Fact]
    public void TruePositiveRateGapIsHighestMinusLowest()
    {
        // TPRs 45/50 = 0.90, 40/50 = 0.80, 30/40 = 0.75 → gap 0.15 > 0.1.
        var report = new Rows().Add("a", 100, 50, 50, 45).Add("b", 100, 50, 48, 40).Add("c", 100, 40, 45, 30).Evaluate(Bounds);

        Assert.Equal(0.15, report.TruePositiveRateGap!.Value, 12);
        Assert.Equal(FairnessVerdict.Breached, report.TruePositiveRateVerdict);
        Assert.Equal(FairnessVerdict.WithinBounds, report.SelectionRateVerdict);
        Assert.Equal(new[] { 0.9, 0.8, 0.75 }, report.Groups.Select(g => Math.Round(g.TruePositiveRate!.Value, 12)));
    }

    [Fact]
    public void EqualGroupsAreWithinBounds()
    {
        var report = new Rows().Add("a", 100, 50, 40, 35).Add("b", 100, 50, 40, 35).Evaluate(Bounds);

        Assert.Equal((0.0, 1.0), (report.TruePositiveRateGap!.Value, report.SelectionRateRatio!.Value));
        Assert.Equal(FairnessVerdict.WithinBounds, report.Verdict);
        Assert.Empty(report.TooSmallGroups);
    }

    [Fact]
    public void SmallGroupIsNotJudgedAndTheVerdictSaysSoInsteadOfPassing()
    {
        // Group "c" has 10 rows: its 0 % selection rate would breach, but 10 rows cannot carry that judgement.
        var report = new Rows().Add("a", 100, 50, 40, 35).Add("b", 100, 50, 40, 35).Add("c", 10, 5, 0, 0).Evaluate(Bounds);

        Assert.Equal(1.0, report.SelectionRateRatio!.Value, 12);
        Assert.Equal(FairnessVerdict.TooFewRowsToJudge, report.Verdict);
        Assert.Equal(["c"], report.TooSmallGroups);
    }

    [Fact]
    public void BreachAmongLargeGroupsStillBreachesBesideASmallGroup()
    {
        var report = new Rows().Add("a", 100, 50, 60, 45).Add("b", 100, 50, 20, 15).Add("c", 10, 5, 5, 5).Evaluate(Bounds);

        Assert.Equal(FairnessVerdict.Breached, report.Verdict);
    }

    [Fact]
    public void GroupWithTooFewActualPositivesIsNotJudgedOnTruePositiveRate()
    {
        // Group "b" has 200 rows but only 5 positives: selection is judged, the true-positive rate is not.
        var report = new Rows().Add("a", 200, 100, 60, 50).Add("b", 200, 5, 60, 1).Evaluate(Bounds);

        Assert.Null(report.TruePositiveRateGap);
        Assert.Equal(FairnessVerdict.TooFewRowsToJudge, report.TruePositiveRateVerdict);
        Assert.Equal(FairnessVerdict.WithinBounds, report.SelectionRateVerdict);
    }

    [Fact]
    public void GroupWithNoPositivesHasNoTruePositiveRate()
    {
        var report = new Rows().Add("a", 50, 0, 10, 0).Add("b", 50, 40, 10, 8).Evaluate(Bounds);

        Assert.Null(report.Groups.Single(g => g.Group == "a").TruePositiveRate);
        Assert.Equal(FairnessVerdict.TooFewRowsToJudge, report.TruePositiveRateVerdict);
    }

    [Fact]
    public void OneGroupOnlyCannotBeJudged()
    {
        Assert.Equal(FairnessVerdict.TooFewRowsToJudge, new Rows().Add("a", 500, 200, 100, 90).Evaluate(Bounds).Verdict);
    }

    [Fact]
    public void EmptyGroupValuesFormTheirOwnMissingGroup()
    {
        var report = new Rows().Add(null, 40, 35, 10, 9).Add("", 40, 35, 10, 9).Add("a", 80, 70, 20, 18).Evaluate(Bounds);

        Assert.Equal([GroupFairness.MissingGroup, "a"], report.Groups.Select(g => g.Group).Order(StringComparer.Ordinal));
        Assert.Equal(80, report.Groups.Single(g => g.Group == GroupFairness.MissingGroup).Rows);
    }

    [Fact]
    public void NoOneSelectedAnywhereIsNoDisparity()
    {
        var report = new Rows().Add("a", 100, 50, 0, 0).Add("b", 100, 50, 0, 0).Evaluate(Bounds);

        Assert.Equal(1.0, report.SelectionRateRatio);
        Assert.Equal(FairnessVerdict.WithinBounds, report.SelectionRateVerdict);
    }

    [Fact]
    public void NoRowsIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => GroupFairness.Evaluate("gender", [], [], []));
        Assert.Contains("no evaluation rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RowsOfDifferentLengthAreRefused()
    {
        Assert.Throws<ArgumentException>(() => GroupFairness.Evaluate("gender", ["a", "b"], [true], [true, false]));
    }

    /// <summary>Builds evaluation rows group by group from the counts a test states.</summary>
    private sealed class Rows
    {
        private readonly List<string?> groups = [];
        private readonly List<bool> labels = [];
        private readonly List<bool> predicted = [];

        public Rows Add(string? group, int rows, int positives, int selected, int truePositives)
        {
            var falsePositives = selected - truePositives;
            for (var i = 0; i < rows; i++)
            {
                var positive = i < positives;
                groups.Add(group);
                labels.Add(positive);
                predicted.Add(positive ? i < truePositives : i - positives < falsePositives);
            }

            return this;
        }

        public FairnessReport Evaluate(FairnessBounds bounds) => GroupFairness.Evaluate("group", groups, labels, predicted, bounds);
    }
}
