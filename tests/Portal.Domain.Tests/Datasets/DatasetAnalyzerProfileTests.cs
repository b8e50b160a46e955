using System.Globalization;
using System.Text;
using Portal.Domain.Datasets;

namespace Portal.Domain.Tests.Datasets;

public sealed class DatasetAnalyzerProfileTests
{
    private readonly DatasetAnalyzer _analyzer = new();

    [Fact]
    public void NumericStatisticsMatchHandComputedValues()
    {
        // Population std of this textbook set is 2; the sample std is sqrt(32/7).
        var numeric = NumericProfile(2, 4, 4, 4, 5, 5, 7, 9);

        Assert.Equal(2, numeric.Min);
        Assert.Equal(9, numeric.Max);
        Assert.Equal(5, numeric.Mean, 12);
        Assert.Equal(Math.Sqrt(32.0 / 7), numeric.StandardDeviation, 12);
        Assert.Equal(new NumericQuantiles(2.7, 4, 4.5, 5.5, 8.3), Round(numeric.Quantiles));
        Assert.False(numeric.IsSampled);
    }

    [Fact]
    public void QuantilesOfOneToHundredInterpolateLikeNumpy()
    {
        var numeric = NumericProfile([.. Enumerable.Range(1, 100).Select(i => (double)i)]);

        Assert.Equal(50.5, numeric.Mean, 12);
        Assert.Equal(Math.Sqrt(100 * 101 / 12.0), numeric.StandardDeviation, 9);
        Assert.Equal(new NumericQuantiles(5.95, 25.75, 50.5, 75.25, 95.05), Round(numeric.Quantiles));
    }

    [Fact]
    public void HistogramHasTwentyEqualBinsFromMinToMaxHoldingEveryValue()
    {
        var numeric = NumericProfile([.. Enumerable.Range(1, 100).Select(i => (double)i)]);

        Assert.Equal(20, numeric.Histogram.Count);
        Assert.Equal(1, numeric.Histogram[0].Lower);
        Assert.Equal(5.95, numeric.Histogram[0].Upper, 9);
        Assert.Equal(100, numeric.Histogram[^1].Upper);
        Assert.All(numeric.Histogram, bin => Assert.Equal(5, bin.Count));
    }

    [Fact]
    public void ConstantColumnHasASingleHistogramBinAndZeroDeviation()
    {
        var numeric = NumericProfile(3, 3, 3);

        Assert.Equal(0, numeric.StandardDeviation);
        Assert.Equal(new HistogramBin(3, 3, 3), Assert.Single(numeric.Histogram));
    }

    [Fact]
    public void CountMissingDistinctAndTopValuesOfACategoricalColumn()
    {
        var profile = AnalyzeSingle("a", "b", "a", "", "c", "a", "b", "a", "NA", "a", "b");

        Assert.Equal(ColumnType.Categorical, profile.Type);
        Assert.Equal(9, profile.Count);
        Assert.Equal(2, profile.Missing);
        Assert.Equal(3, profile.Distinct);
        Assert.False(profile.DistinctIsEstimate);
        Assert.Equal([new ValueCount("a", 5), new ValueCount("b", 3), new ValueCount("c", 1)], profile.TopValues);
        Assert.Null(profile.Numeric);
    }

    [Fact]
    public void TopValuesAreLimitedToTheTenMostFrequent()
    {
        var values = Enumerable.Range(0, 30).SelectMany(i => Enumerable.Repeat($"v{i:00}", i + 1)).ToArray();

        var profile = AnalyzeSingle(values);

        Assert.Equal(10, profile.TopValues.Count);
        Assert.Equal(new ValueCount("v29", 30), profile.TopValues[0]);
        Assert.Equal(new ValueCount("v20", 21), profile.TopValues[^1]);
    }

    [Fact]
    public void BooleanColumnShowsTokenCounts()
    {
        var profile = AnalyzeSingle("yes", "no", "yes", "yes");

        Assert.Equal([new ValueCount("yes", 3), new ValueCount("no", 1)], profile.TopValues);
    }

    [Fact]
    public void DateColumnHasItsEarliestAndLatestValue()
    {
        var profile = AnalyzeSingle("2024-03-01", "2023-12-31", "2024-01-15T12:00:00Z");

        Assert.Equal(new DateRange(new DateTime(2023, 12, 31), new DateTime(2024, 3, 1)), profile.Dates);
    }

    [Fact]
    public void DistinctIsExactBelowTheCap()
    {
        var profile = AnalyzeSingle([.. Enumerable.Range(0, 5_000).Select(i => $"id-{i}")]);

        Assert.Equal(5_000, profile.Distinct);
        Assert.False(profile.DistinctIsEstimate);
    }

    [Fact]
    public void DistinctAboveTheCapIsAnEstimateWithinTwoPercentAndSaysSo()
    {
        var analyzer = new DatasetAnalyzer(new DatasetAnalyzerOptions { DistinctExactCap = 1_000 });
        var csv = new CsvBuilder().Column("id", Enumerable.Range(0, 50_000).Select(i => $"id-{i % 20_000}"));

        var profile = Assert.Single(analyzer.Analyze(csv.BuildStream()).Columns);

        Assert.True(profile.DistinctIsEstimate);
        Assert.InRange(profile.Distinct, 19_600, 20_400);
    }

    [Fact]
    public void TopValuesBeyondTheTrackedCapAreApproximateButKeepTheHeavyHitter()
    {
        var analyzer = new DatasetAnalyzer(new DatasetAnalyzerOptions { TrackedValueCap = 20 });
        var csv = new CsvBuilder().Column("v", Enumerable.Range(0, 2_000).Select(i => i % 2 == 0 ? "common" : $"rare-{i}"));

        var profile = Assert.Single(analyzer.Analyze(csv.BuildStream()).Columns);

        Assert.True(profile.TopValuesAreApproximate);
        Assert.Equal("common", profile.TopValues[0].Value);
    }

    [Fact]
    public void LargeNumericColumnIsSampledForQuantilesButExactForMinMaxAndMean()
    {
        var analyzer = new DatasetAnalyzer(new DatasetAnalyzerOptions { NumericSampleSize = 2_000 });
        var csv = new CsvBuilder().Column("x", Enumerable.Range(1, 100_000).Select(i => (double)i));

        var numeric = Assert.Single(analyzer.Analyze(csv.BuildStream()).Columns).Numeric!;

        Assert.True(numeric.IsSampled);
        Assert.Equal(2_000, numeric.SampleSize);
        Assert.Equal(1, numeric.Min);
        Assert.Equal(100_000, numeric.Max);
        Assert.Equal(50_000.5, numeric.Mean, 6);
        Assert.InRange(numeric.Quantiles.P50, 47_000, 53_000);
        Assert.InRange(numeric.Quantiles.P95, 93_000, 97_000);
        Assert.InRange(numeric.Histogram.Sum(b => b.Count), 99_000, 101_000);
    }

    [Fact]
    public void TheSameFileAlwaysGivesTheSameSampledProfile()
    {
        var options = new DatasetAnalyzerOptions { NumericSampleSize = 500 };
        var csv = new CsvBuilder().Column("x", Enumerable.Range(0, 20_000).Select(i => Math.Sin(i) * 1000)).Build();

        var first = new DatasetAnalyzer(options).Analyze(new StringReader(csv)).Columns[0].Numeric!;
        var second = new DatasetAnalyzer(options).Analyze(new StringReader(csv)).Columns[0].Numeric!;

        Assert.Equal(first.Quantiles, second.Quantiles);
        Assert.Equal(first.Histogram, second.Histogram);
    }

    [Fact]
    public void AMillionRowsAreStreamedFromAReaderThatNeverHoldsTheFile()
    {
        var analysis = _analyzer.Analyze(new GeneratedCsvReader(rows: 1_000_000));

        Assert.Equal(1_000_000, analysis.Rows);
        Assert.Equal(ColumnType.Numeric, analysis.Columns[0].Type);
        Assert.Equal(499_999.5, analysis.Columns[0].Numeric!.Mean, 6);
        Assert.Equal(ColumnType.Categorical, analysis.Columns[1].Type);
        Assert.Equal(7, analysis.Columns[1].Distinct);
    }

    [Fact]
    public void HeaderOnlyFileHasNoRowsAndEmptyColumns()
    {
        var analysis = _analyzer.Analyze(new StringReader("a,b\n"));

        Assert.Equal(0, analysis.Rows);
        Assert.All(analysis.Columns, c => Assert.Equal(0, c.Count));
    }

    [Fact]
    public void FileWiderThanTheColumnLimitIsRejectedAtTheHeader()
    {
        var analyzer = new DatasetAnalyzer(new DatasetAnalyzerOptions { MaxColumns = 3 });

        var error = Assert.Throws<CsvFormatException>(() => analyzer.Analyze(new StringReader("a,b,c,d\n1,2,3,4\n")));

        Assert.Equal(1, error.LineNumber);
        Assert.Contains("at most 3 columns", error.Reason);
    }

    [Fact]
    public void MalformedCsvStopsTheAnalysisWithTheLineNumber()
    {
        var error = Assert.Throws<CsvFormatException>(() => _analyzer.Analyze(new StringReader("a,b\n1,2\n3\n")));

        Assert.Equal(3, error.LineNumber);
    }

    [Fact]
    public async Task AsyncAnalysisGivesTheSameProfileAsSyncAnalysis()
    {
        var csv = new CsvBuilder().Column("x", "1", "2", "5").Column("c", "a", "a", "b");

        var sync = _analyzer.Analyze(csv.BuildStream());
        var asynchronous = await _analyzer.AnalyzeAsync(csv.BuildStream());

        Assert.Equal(sync.Schema, asynchronous.Schema);
        Assert.Equal(sync.Columns[0].Numeric!.Quantiles, asynchronous.Columns[0].Numeric!.Quantiles);
        Assert.Equal(sync.Columns[1].TopValues, asynchronous.Columns[1].TopValues);
    }

    private NumericSummary NumericProfile(params double[] values)
    {
        var profile = Assert.Single(_analyzer.Analyze(new CsvBuilder().Column("x", values).BuildStream()).Columns);
        Assert.Equal(ColumnType.Numeric, profile.Type);
        return profile.Numeric!;
    }

    private ColumnProfile AnalyzeSingle(params string[] values) =>
        Assert.Single(_analyzer.Analyze(new CsvBuilder().Column("value", values).BuildStream()).Columns);

    private static NumericQuantiles Round(NumericQuantiles q) =>
        new(Math.Round(q.P5, 9), Math.Round(q.P25, 9), Math.Round(q.P50, 9), Math.Round(q.P75, 9), Math.Round(q.P95, 9));

    /// <summary>Produces "n,colour" rows on demand; only the current line exists in memory.</summary>
    private sealed class GeneratedCsvReader(int rows) : TextReader
    {
        private static readonly string[] Colours = ["red", "orange", "yellow", "green", "blue", "indigo", "violet"];
        private readonly StringBuilder _line = new("n,colour\n");
        private int _next;
        private int _offset;

        public override int Read(char[] buffer, int index, int count)
        {
            if (_offset == _line.Length)
            {
                if (_next == rows)
                {
                    return 0;
                }

                _line.Clear().Append(_next.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Colours[_next % 7]).Append('\n');
                _next++;
                _offset = 0;
            }

            var n = Math.Min(count, _line.Length - _offset);
            _line.CopyTo(_offset, buffer, index, n);
            _offset += n;
            return n;
        }
    }
}
