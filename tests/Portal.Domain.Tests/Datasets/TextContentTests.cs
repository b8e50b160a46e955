using System.Text;
using Portal.Domain.Datasets;

namespace Portal.Domain.Tests.Datasets;

/// <summary>A file that is not a text CSV is refused for what it is, not with a quote error somewhere inside it.</summary>
public sealed class TextContentTests
{
    private static readonly byte[] Png =
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
        0x89, 0x0A, 0x22, 0x0A, 0x22, 0x2C, 0x0A,
    ];

    [Fact]
    public async Task APngImageIsRefusedAsNotATextCsvSayingItLooksLikeAPng()
    {
        var error = await Assert.ThrowsAsync<CsvFormatException>(() => new DatasetAnalyzer().AnalyzeAsync(new MemoryStream(Png)));

        Assert.Equal(0, error.LineNumber);
        Assert.Equal("This is not a text CSV file (it looks like a PNG image).", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00 }, "a ZIP archive, such as an Excel .xlsx workbook")]
    [InlineData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }, "an Office document, such as an Excel .xls workbook")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46 }, "a JPEG image")]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37 }, "a PDF document")]
    [InlineData(new byte[] { 0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00 }, "a gzip archive")]
    public void KnownBinaryFormatsAreRecognisedByTheirSignature(byte[] start, string expected)
    {
        var error = Assert.Throws<CsvFormatException>(() => new DatasetAnalyzer().Analyze(new MemoryStream(start)));

        Assert.Contains($"it looks like {expected}", error.Message);
    }

    [Fact]
    public void AFileWithNulBytesIsRefusedAsBinaryNamingTheFirstOne()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b\n1,2\n3,").Concat(new byte[] { 0, 0, 7, 0 }).Concat(Encoding.UTF8.GetBytes("\n")).ToArray();

        var error = Assert.Throws<CsvFormatException>(() => new DatasetAnalyzer().Analyze(new MemoryStream(bytes)));

        Assert.Equal("This is not a text CSV file (it contains a NUL byte at byte 11, as binary files do).", error.Message);
    }

    [Fact]
    public void ALatin1FileIsRefusedAsNotUtf8NamingTheByteAndTheFix()
    {
        var bytes = Encoding.Latin1.GetBytes("name,city\nAnna,Zürich\n");

        var error = Assert.Throws<CsvFormatException>(() => new DatasetAnalyzer().Analyze(new MemoryStream(bytes)));

        Assert.Equal("This is not a UTF-8 text CSV file: byte 17 (0xFC) is not UTF-8. Save it as CSV UTF-8 and upload it again.", error.Message);
    }

    [Fact]
    public async Task Utf8SplitAcrossReadsWithBomAndUtf16WithBomAreText()
    {
        var utf8 = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("name,city\nAnna,Zürich\nLi,北京\n")).ToArray();
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("name,city\nAnna,Zürich\n")).ToArray();

        // One byte per read: every multi-byte character is split between reads.
        var fromUtf8 = await new DatasetAnalyzer().AnalyzeAsync(new OneBytePerReadStream(utf8));
        var fromUtf16 = new DatasetAnalyzer().Analyze(new MemoryStream(utf16));

        Assert.Equal(2, fromUtf8.Rows);
        Assert.Equal(1, fromUtf16.Rows);
        Assert.Equal(["name", "city"], fromUtf16.Columns.Select(c => c.Name));
    }

    private sealed class OneBytePerReadStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(1, buffer.Length)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
