using Portal.Domain.Datasets;

namespace Portal.Domain.Tests.Datasets;

public sealed class DatasetAnalyzerInferenceTests
{
    private readonly DatasetAnalyzer _analyzer = new();

    [Fact]
    public void InvariantCultureNumbersAreNumeric()
    {
        var type = InferSingle("1.5", "-2", "3e2", " 4 ", "0.001", "12");

        Assert.Equal(ColumnType.Numeric, type);
    }

    [Fact]
    public void NumbersWithThousandsSeparatorsOrDecimalCommasAreNotNumeric()
    {
        var type = InferSingle("1,000", "2,5", "3", "4", "5", "6");

        Assert.NotEqual(ColumnType.Numeric, type);
    }

    [Theory]
    [InlineData("true", "false", "TRUE", "False")]
    [InlineData("yes", "no", "Yes", "NO")]
    [InlineData("0", "1", "1", "0")]
    public void OnlyBooleanTokensMakeABooleanColumn(params string[] values)
    {
        Assert.Equal(ColumnType.Boolean, InferSingle(values));
    }

    [Fact]
    public void ZerosAndOnesWithAnyOtherNumberAreNumeric()
    {
        Assert.Equal(ColumnType.Numeric, InferSingle("0", "1", "2", "1"));
    }

    [Theory]
    [InlineData("2024-01-15", "2024-02-29", "2023-12-31")]
    [InlineData("2024-01-15T10:30:00Z", "2024-01-15T10:30:00+02:00", "2024-01-16T08:00:00.123")]
    [InlineData("2024-01-15 10:30:00", "2024-03-01 00:00", "2024-01-15")]
    [InlineData("15.01.2024", "01.02.2024", "31.12.2023")]
    [InlineData("15-Jan-2024", "1-Feb-2024", "31-Dec-2023")]
    public void IsoAndCommonDateLayoutsAreDates(params string[] values)
    {
        Assert.Equal(ColumnType.Date, InferSingle(values));
    }

    [Fact]
    public void ImpossibleDatesMakeTheColumnNotADate()
    {
        Assert.NotEqual(ColumnType.Date, InferSingle("2024-01-15", "2024-02-30", "2024-03-01"));
    }

    [Fact]
    public void FewRepeatedLabelsAreCategorical()
    {
        var values = Enumerable.Range(0, 100).Select(i => new[] { "red", "green", "blue" }[i % 3]).ToArray();

        Assert.Equal(ColumnType.Categorical, InferSingle(values));
    }

    [Fact]
    public void ManyLabelsThatAreAFewPercentOfRowsAreCategorical()
    {
        // 200 distinct codes (over the 50 limit) in 10,000 rows = 2% of rows.
        var values = Enumerable.Range(0, 10_000).Select(i => $"code-{i % 200}").ToArray();

        Assert.Equal(ColumnType.Categorical, InferSingle(values));
    }

    [Fact]
    public void MostlyUniqueStringsAreText()
    {
        var values = Enumerable.Range(0, 100).Select(i => $"free text comment number {i}").ToArray();

        Assert.Equal(ColumnType.Text, InferSingle(values));
    }

    [Fact]
    public void AFewValuesThatNeverRepeatAreTextNotCategorical()
    {
        Assert.Equal(ColumnType.Text, InferSingle("alpha", "beta", "gamma", "delta"));
    }

    [Fact]
    public void MissingMarkersAreIgnoredForInferenceAndCounted()
    {
        var profile = AnalyzeSingle("1", "", "NA", "null", "N/A", "3.5", "nan");

        Assert.Equal(ColumnType.Numeric, profile.Type);
        Assert.Equal(2, profile.Count);
        Assert.Equal(5, profile.Missing);
    }

    [Fact]
    public void ColumnWithOnlyMissingValuesIsTextWithNoCount()
    {
        var profile = AnalyzeSingle("", "NA", "");

        Assert.Equal(ColumnType.Text, profile.Type);
        Assert.Equal(0, profile.Count);
        Assert.Equal(3, profile.Missing);
    }

    [Fact]
    public void EachColumnIsInferredIndependentlyInFileOrder()
    {
        var csv = new CsvBuilder()
            .Column("amount", "1.5", "2", "3")
            .Column("active", "yes", "no", "yes")
            .Column("day", "2024-01-01", "2024-01-02", "2024-01-03")
            .Column("comment", "a b", "c d", "e f");

        var analysis = _analyzer.Analyze(csv.BuildStream());

        Assert.Equal(3, analysis.Rows);
        Assert.Equal(
            [new ColumnSchema(0, "amount", ColumnType.Numeric), new ColumnSchema(1, "active", ColumnType.Boolean),
             new ColumnSchema(2, "day", ColumnType.Date), new ColumnSchema(3, "comment", ColumnType.Text)],
            analysis.Schema);
    }

    private ColumnType InferSingle(params string[] values) => AnalyzeSingle(values).Type;

    private ColumnProfile AnalyzeSingle(params string[] values) =>
        Assert.Single(_analyzer.Analyze(new CsvBuilder().Column("value", values).BuildStream()).Columns);
}
