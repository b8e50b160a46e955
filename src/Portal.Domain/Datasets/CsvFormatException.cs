namespace Portal.Domain.Datasets;

/// <summary>
/// The CSV is malformed or its header is unusable. <see cref="LineNumber"/> is the 1-based physical line where
/// the problem was found and the message says what to fix; it is meant to be shown to the uploader as is.
/// </summary>
public sealed class CsvFormatException : Exception
{
    public CsvFormatException(long lineNumber, string reason)
        : base(lineNumber > 0 ? $"Line {lineNumber}: {reason}" : reason)
    {
        LineNumber = lineNumber;
        Reason = reason;
    }

    /// <summary>1-based physical line number (a quoted field with newlines spans several lines); 0 when the whole file is at fault (not text).</summary>
    public long LineNumber { get; }

    /// <summary>The message without the line prefix.</summary>
    public string Reason { get; }
}
