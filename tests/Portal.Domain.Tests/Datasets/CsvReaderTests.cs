using System.Text;
using Portal.Domain.Datasets;

namespace Portal.Domain.Tests.Datasets;

public sealed class CsvReaderTests
{
    [Fact]
    public void QuotedFieldsKeepEmbeddedCommasAndDoubledQuotes()
    {
        var records = ReadAll("name,quote\n\"Smith, John\",\"He said \"\"hi\"\"\"\n");

        Assert.Equal(["Smith, John", "He said \"hi\""], records[0]);
    }

    [Fact]
    public void QuotedFieldKeepsEmbeddedNewlinesAndLineNumbersCountPhysicalLines()
    {
        using var reader = new CsvReader(new StringReader("id,note\n1,\"line one\nline two\r\nline three\"\n2,plain\n"));
        reader.ReadHeader();

        var first = reader.ReadRecord()!;
        var firstLine = reader.LineNumber;
        var second = reader.ReadRecord()!;
        var secondLine = reader.LineNumber;

        Assert.Equal(["1", "line one\nline two\r\nline three"], first);
        Assert.Equal(2, firstLine);
        Assert.Equal(["2", "plain"], second);
        Assert.Equal(5, secondLine);
        Assert.Null(reader.ReadRecord());
    }

    [Fact]
    public void CrLfLfCrAndMissingFinalNewlineAllEndRecords()
    {
        var records = ReadAll("a,b\r\n1,2\n3,4\r5,6");

        Assert.Equal([["1", "2"], ["3", "4"], ["5", "6"]], records);
    }

    [Fact]
    public void EmptyTrailingFieldsAndQuotedEmptyFieldsAreEmptyStrings()
    {
        var records = ReadAll("a,b,c\n1,,\n\"\",x,\"\"\n");

        Assert.Equal([["1", "", ""], ["", "x", ""]], records);
    }

    [Fact]
    public void Utf8ByteOrderMarkIsNotPartOfTheFirstHeaderName()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("id,name\n1,Zoë\n")).ToArray();
        using var reader = CsvReader.Create(new MemoryStream(bytes));

        var header = reader.ReadHeader();
        var record = reader.ReadRecord()!;

        Assert.Equal(["id", "name"], header);
        Assert.Equal(["1", "Zoë"], record);
    }

    [Fact]
    public void ByteOrderMarkCharacterFromATextReaderIsSkipped()
    {
        using var reader = new CsvReader(new StringReader("\uFEFFid\n1\n"));

        Assert.Equal(["id"], reader.ReadHeader());
    }

    [Fact]
    public void BlankLinesAreSkippedWithoutLosingLineNumbers()
    {
        using var reader = new CsvReader(new StringReader("a,b\n\n1,2\r\n\r\n3,4\n"));
        reader.ReadHeader();

        reader.ReadRecord();
        var firstLine = reader.LineNumber;
        reader.ReadRecord();
        var secondLine = reader.LineNumber;

        Assert.Equal(3, firstLine);
        Assert.Equal(5, secondLine);
    }

    [Fact]
    public void EmptyLineInAOneColumnFileIsAnEmptyValue()
    {
        var records = ReadAll("score\n1\n\n3\n");

        Assert.Equal([["1"], [""], ["3"]], records);
    }

    [Fact]
    public void HeaderNamesAreTrimmed()
    {
        using var reader = new CsvReader(new StringReader(" id , name \n1,x\n"));

        Assert.Equal(["id", "name"], reader.ReadHeader());
    }

    [Fact]
    public void RecordsSpanningBufferBoundariesAreReadIntact()
    {
        // 64 KB is the reader's buffer; 20,000 mixed records cross it many times, CRLF pairs and quotes included.
        var csv = new StringBuilder("id,text\r\n");
        for (var i = 0; i < 20_000; i++)
        {
            csv.Append(i).Append(i % 3 == 0 ? ",\"multi\r\nline, \"\"q\"\"\"\r\n" : ",plain\r\n");
        }

        var records = ReadAll(csv.ToString());

        Assert.Equal(20_000, records.Count);
        Assert.All(records.Select((r, i) => (r, i)), x =>
        {
            Assert.Equal(x.i.ToString(System.Globalization.CultureInfo.InvariantCulture), x.r[0]);
            Assert.Equal(x.i % 3 == 0 ? "multi\r\nline, \"q\"" : "plain", x.r[1]);
        });
    }

    [Fact]
    public async Task AsyncReadingGivesTheSameRecordsAsSyncReading()
    {
        const string csv = "a,b\n\"x\ny\",1\n2,\"3,4\"\n";
        using var reader = CsvReader.Create(new MemoryStream(Encoding.UTF8.GetBytes(csv)));
        await reader.ReadHeaderAsync();

        var records = new List<string[]>();
        while (await reader.ReadRecordAsync() is { } record)
        {
            records.Add(record);
        }

        Assert.Equal(ReadAll(csv), records);
    }

    [Fact]
    public void UnterminatedQuoteIsReportedAtTheLineWhereTheQuoteOpens()
    {
        var error = Assert.Throws<CsvFormatException>(() => ReadAll("a,b\n1,2\n3,\"never closed\n4,5\n6,7\n"));

        Assert.Equal(3, error.LineNumber);
        Assert.Contains("never closed", error.Message);
        Assert.StartsWith("Line 3:", error.Message);
    }

    [Fact]
    public void StrayQuoteInsideAnUnquotedFieldIsReportedWithItsLine()
    {
        var error = Assert.Throws<CsvFormatException>(() => ReadAll("a,b\n1,2\n3,4\n5,ab\"c\n"));

        Assert.Equal(4, error.LineNumber);
        Assert.Contains("quote", error.Reason);
        Assert.Contains("field 2", error.Reason);
    }

    [Fact]
    public void TextAfterAClosingQuoteIsReportedWithItsLine()
    {
        var error = Assert.Throws<CsvFormatException>(() => ReadAll("a,b\n\"x\"y,2\n"));

        Assert.Equal(2, error.LineNumber);
        Assert.Contains("after the closing quote", error.Reason);
    }

    [Fact]
    public void RowWithTooFewFieldsIsReportedWithItsLine()
    {
        var error = Assert.Throws<CsvFormatException>(() => ReadAll("a,b,c\n1,2,3\n4,5\n"));

        Assert.Equal(3, error.LineNumber);
        Assert.Contains("2 fields but the header has 3", error.Reason);
    }

    [Fact]
    public void RowWithTooManyFieldsAfterAMultilineFieldIsReportedAtItsOwnLine()
    {
        var error = Assert.Throws<CsvFormatException>(() => ReadAll("a,b\n\"x\ny\",2\n1,2,3\n"));

        Assert.Equal(4, error.LineNumber);
        Assert.Contains("3 fields but the header has 2", error.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\r\n\n")]
    public void EmptyFileIsRejected(string csv)
    {
        var error = Assert.Throws<CsvFormatException>(() => ReadAll(csv));

        Assert.Equal(1, error.LineNumber);
        Assert.Contains("empty", error.Reason);
    }

    [Theory]
    [InlineData("a,,c\n1,2,3\n", "column 2")]
    [InlineData("a,b,  \n1,2,3\n", "column 3")]
    public void EmptyHeaderNameIsRejectedNamingTheColumn(string csv, string column)
    {
        var error = Assert.Throws<CsvFormatException>(() => ReadAll(csv));

        Assert.Equal(1, error.LineNumber);
        Assert.Contains(column, error.Reason);
        Assert.Contains("no name", error.Reason);
    }

    [Fact]
    public void DuplicateHeaderNamesDifferingOnlyInCaseAreRejected()
    {
        var error = Assert.Throws<CsvFormatException>(() => ReadAll("Id,name,ID\n1,2,3\n"));

        Assert.Equal(1, error.LineNumber);
        Assert.Contains("columns 1 and 3", error.Reason);
        Assert.Contains("unique", error.Reason);
    }

    [Fact]
    public void OverlongFieldIsReportedInsteadOfBeingBuffered()
    {
        using var reader = new CsvReader(new StringReader("a\n\"" + new string('x', 500)), maxFieldLength: 100);
        reader.ReadHeader();

        var error = Assert.Throws<CsvFormatException>(() => reader.ReadRecord());

        Assert.Equal(2, error.LineNumber);
        Assert.Contains("longer than 100", error.Reason);
    }

    [Fact]
    public void RowWithMoreFieldsThanTheLimitIsReportedInsteadOfBeingBuffered()
    {
        using var reader = new CsvReader(new StringReader("a,b\n" + new string(',', 10_000) + "\n"), maxFields: 50);
        reader.ReadHeader();

        var error = Assert.Throws<CsvFormatException>(() => reader.ReadRecord());

        Assert.Equal(2, error.LineNumber);
        Assert.Contains("more than 50 fields", error.Reason);
    }

    private static List<string[]> ReadAll(string csv)
    {
        using var reader = new CsvReader(new StringReader(csv));
        reader.ReadHeader();
        return [.. reader.ReadRecords()];
    }
}
