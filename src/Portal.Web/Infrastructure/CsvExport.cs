using System.Globalization;
using System.Text;

namespace Portal.Web.Infrastructure;

/// <summary>
/// The one way Portal writes CSV for people to open (audit export, later reports): RFC 4180 quoting, UTF-8, and
/// OWASP's CSV-injection rule for every text cell. A text cell that begins with <c>=</c>, <c>+</c>, <c>-</c>,
/// <c>@</c>, a tab or a carriage return gets a leading single quote and is quoted, so a spreadsheet shows it as text
/// instead of evaluating a formula; a cell that already begins with a single quote gets one more, so a reader can
/// always recover the stored value by removing exactly one leading quote from a cell that has one
/// (<see cref="Unescape"/>). Numbers and timestamps are typed cells, written in invariant form and never
/// prefixed (a number cannot carry a formula).
/// </summary>
public static class CsvExport
{
    public const string ContentType = "text/csv";

    /// <summary>First characters a spreadsheet may read as the start of a formula (OWASP), plus the escape itself.</summary>
    private static readonly char[] Neutralised = ['=', '+', '-', '@', '\t', '\r', '\''];

    /// <summary>Characters that oblige a cell to be quoted (RFC 4180).</summary>
    private static readonly char[] NeedQuotes = [',', '"', '\n', '\r'];

    /// <summary>Marks an endpoint as a CSV export: documented in OpenAPI and found by the tests that check every export.</summary>
    public static RouteHandlerBuilder ProducesCsv(this RouteHandlerBuilder endpoint) =>
        endpoint.Produces(StatusCodes.Status200OK, contentType: ContentType);

    /// <summary>A CSV download: headers set here, rows written by <paramref name="write"/> through a <see cref="CsvExportWriter"/>.</summary>
    public static IResult Download(string fileName, Func<CsvExportWriter, CancellationToken, Task> write) =>
        new DownloadResult(fileName, write);

    /// <summary>One text cell as it appears in the file (neutralised and quoted as needed).</summary>
    public static string TextCell(string? value)
    {
        value ??= "";
        var neutralise = value.Length > 0 && Array.IndexOf(Neutralised, value[0]) >= 0;
        if (neutralise)
        {
            value = "'" + value;
        }

        return neutralise || value.IndexOfAny(NeedQuotes) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    /// <summary>The stored value of a text cell read back from an export (after CSV unquoting): one leading quote removed.</summary>
    public static string Unescape(string cell) => cell.StartsWith('\'') ? cell[1..] : cell;

    /// <summary>Whether a cell (after CSV unquoting) would start a formula in a spreadsheet.</summary>
    public static bool IsDangerous(string cell) => cell.Length > 0 && Array.IndexOf(Neutralised, cell[0]) is >= 0 and < 6;

    private sealed class DownloadResult(string fileName, Func<CsvExportWriter, CancellationToken, Task> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = ContentType + "; charset=utf-8";
            httpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
            await using var writer = new CsvExportWriter(httpContext.Response.Body);
            await write(writer, httpContext.RequestAborted);
        }
    }
}

/// <summary>A cell of an exported CSV: text (neutralised against formulas) or a number/timestamp (written as is).</summary>
public readonly struct CsvCell
{
    private CsvCell(string encoded) => Encoded = encoded;

    /// <summary>The cell as it appears in the file.</summary>
    public string Encoded { get; }

    public static implicit operator CsvCell(string? text) => new(CsvExport.TextCell(text));

    public static implicit operator CsvCell(long number) => new(number.ToString(CultureInfo.InvariantCulture));

    public static implicit operator CsvCell(double number) => new(number.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>UTC timestamps as ISO 8601 with microseconds.</summary>
    public static implicit operator CsvCell(DateTime utc) =>
        new(utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
}

/// <summary>Writes rows of <see cref="CsvCell"/> to a stream (UTF-8 without BOM, LF line ends).</summary>
public sealed class CsvExportWriter(Stream output) : IAsyncDisposable
{
    private readonly StreamWriter writer = new(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);

    public async Task WriteRowAsync(params CsvCell[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                await writer.WriteAsync(',');
            }

            await writer.WriteAsync(cells[i].Encoded);
        }

        await writer.WriteLineAsync();
    }

    public ValueTask DisposeAsync() => writer.DisposeAsync();
}
