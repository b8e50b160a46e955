using System.Buffers;
using System.Text;

namespace Portal.Domain.Datasets;

/// <summary>
/// Streaming RFC 4180 reader: comma separator, fields optionally in double quotes (quoted fields may hold commas,
/// doubled quotes and line breaks), CRLF, LF or CR line endings, an optional UTF-8 byte order mark. It holds one
/// record at a time, never the file. Completely empty lines are skipped, except in a one-column file where they
/// are records holding one empty value. Malformed input raises
/// <see cref="CsvFormatException"/> with the line number.
/// </summary>
public sealed class CsvReader : IDisposable
{
    /// <summary>A field longer than this is reported instead of being buffered (it is almost always a quote never closed).</summary>
    public const int DefaultMaxFieldLength = 1 << 20;

    /// <summary>A record with more fields than this is reported (a bounded record, even for a line made only of commas).</summary>
    public const int DefaultMaxFields = 10_000;

    private const int BufferSize = 64 * 1024;

    private static readonly SearchValues<char> UnquotedSpecials = SearchValues.Create(",\"\r\n");
    private static readonly SearchValues<char> QuotedSpecials = SearchValues.Create("\"\r\n");

    private readonly TextReader _reader;
    private readonly bool _leaveOpen;
    private readonly int _maxFieldLength;
    private readonly int _maxFields;
    private readonly char[] _buffer = new char[BufferSize];
    private readonly List<string> _fields = [];
    private readonly StringBuilder _field = new();
    private int _position;
    private int _length;
    private bool _endOfInput;
    private bool _atStartOfInput = true;
    private bool _afterCarriageReturn;
    private long _line = 1;
    private long _recordStartLine = 1;
    private long _quoteStartLine;
    private ParseState _state;

    public CsvReader(TextReader reader, int maxFieldLength = DefaultMaxFieldLength, int maxFields = DefaultMaxFields, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFieldLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFields, 1);
        _maxFields = maxFields;
        _reader = reader;
        _maxFieldLength = maxFieldLength;
        _leaveOpen = leaveOpen;
    }

    private enum ParseState
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }

    /// <summary>
    /// Reads UTF-8 (a byte order mark, if any, is detected and skipped). A file that is not text (an image, a
    /// workbook, NUL bytes, bytes that are not UTF-8) raises <see cref="CsvFormatException"/> on line 0 saying so.
    /// </summary>
    public static CsvReader Create(Stream stream, bool leaveOpen = false, int maxFieldLength = DefaultMaxFieldLength, int maxFields = DefaultMaxFields) =>
        new(new StreamReader(TextContent.RequireText(stream, leaveOpen), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, BufferSize, leaveOpen: false),
            maxFieldLength, maxFields, leaveOpen: false);

    /// <summary>The validated header, once <see cref="ReadHeader"/> has been called.</summary>
    public IReadOnlyList<string>? Header { get; private set; }

    /// <summary>1-based line on which the record most recently returned (or being read) starts.</summary>
    public long LineNumber => _recordStartLine;

    /// <summary>
    /// Reads and validates the first record as the header: the file must not be empty, every name must be
    /// non-blank (names are trimmed) and names must be unique ignoring case. Later records must have as many fields.
    /// </summary>
    public IReadOnlyList<string> ReadHeader() => Header = ValidateHeader(ReadRecordCore());

    /// <inheritdoc cref="ReadHeader"/>
    public async ValueTask<IReadOnlyList<string>> ReadHeaderAsync(CancellationToken cancellationToken = default) =>
        Header = ValidateHeader(await ReadRecordCoreAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>The next record, or null at the end of the input.</summary>
    public string[]? ReadRecord() => CheckFieldCount(ReadRecordCore());

    /// <inheritdoc cref="ReadRecord"/>
    public async ValueTask<string[]?> ReadRecordAsync(CancellationToken cancellationToken = default) =>
        CheckFieldCount(await ReadRecordCoreAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>All remaining records, lazily.</summary>
    public IEnumerable<string[]> ReadRecords()
    {
        while (ReadRecord() is { } record)
        {
            yield return record;
        }
    }

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _reader.Dispose();
        }
    }

    /// <summary>In a one-column file an empty line is an empty value, not a blank line.</summary>
    private bool SkipsBlankLines => Header is not { Count: 1 };

    private string[]? ReadRecordCore()
    {
        BeginRecord();
        while (true)
        {
            if (TryParseBuffered(out var record))
            {
                return record;
            }

            if (_endOfInput)
            {
                return FinishAtEndOfInput();
            }

            _length = _reader.Read(_buffer, 0, _buffer.Length);
            _position = 0;
            _endOfInput = _length == 0;
        }
    }

    private async ValueTask<string[]?> ReadRecordCoreAsync(CancellationToken cancellationToken)
    {
        BeginRecord();
        while (true)
        {
            if (TryParseBuffered(out var record))
            {
                return record;
            }

            if (_endOfInput)
            {
                return FinishAtEndOfInput();
            }

            _length = await _reader.ReadAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            _position = 0;
            _endOfInput = _length == 0;
        }
    }

    private void BeginRecord()
    {
        _fields.Clear();
        _field.Clear();
        _state = ParseState.FieldStart;
        _recordStartLine = _line;
    }

    /// <summary>Consumes buffered characters; true with a record when one is complete, false when more input is needed.</summary>
    private bool TryParseBuffered(out string[]? record)
    {
        record = null;
        while (_position < _length)
        {
            if (_state is ParseState.Unquoted or ParseState.Quoted)
            {
                // Fast path: copy the run of ordinary characters up to the next comma, quote or line break at once.
                var rest = _buffer.AsSpan(_position, _length - _position);
                var run = rest.IndexOfAny(_state == ParseState.Unquoted ? UnquotedSpecials : QuotedSpecials);
                run = run < 0 ? rest.Length : run;
                if (run > 0)
                {
                    Append(rest[..run]);
                    _position += run;
                    _afterCarriageReturn = false;
                    continue;
                }
            }

            var c = _buffer[_position++];

            if (_atStartOfInput)
            {
                _atStartOfInput = false;
                if (c == '\uFEFF')
                {
                    continue;
                }
            }

            if (c == '\n' && _afterCarriageReturn)
            {
                // Second half of CRLF: the line was already counted (and the record ended) at the CR.
                _afterCarriageReturn = false;
                if (_state == ParseState.Quoted)
                {
                    Append(c);
                }

                continue;
            }

            _afterCarriageReturn = c == '\r';
            var isLineBreak = c is '\r' or '\n';

            switch (_state)
            {
                case ParseState.FieldStart when isLineBreak && _fields.Count == 0 && SkipsBlankLines:
                    _line++;
                    _recordStartLine = _line;
                    break;
                case ParseState.FieldStart when c == '"':
                    _state = ParseState.Quoted;
                    _quoteStartLine = _line;
                    break;
                case ParseState.FieldStart:
                case ParseState.Unquoted:
                    if (c == ',')
                    {
                        EndField();
                        _state = ParseState.FieldStart;
                    }
                    else if (isLineBreak)
                    {
                        _line++;
                        EndField();
                        record = [.. _fields];
                        return true;
                    }
                    else if (c == '"')
                    {
                        throw new CsvFormatException(_line,
                            $"a quote (\") appears inside the unquoted field {_fields.Count + 1}; put the whole field in quotes and double the quote (\"\") to include one.");
                    }
                    else
                    {
                        _state = ParseState.Unquoted;
                        Append(c);
                    }

                    break;
                case ParseState.Quoted:
                    if (c == '"')
                    {
                        _state = ParseState.QuoteInQuoted;
                    }
                    else
                    {
                        if (isLineBreak)
                        {
                            _line++;
                        }

                        Append(c);
                    }

                    break;
                case ParseState.QuoteInQuoted:
                    if (c == '"')
                    {
                        Append('"');
                        _state = ParseState.Quoted;
                    }
                    else if (c == ',')
                    {
                        EndField();
                        _state = ParseState.FieldStart;
                    }
                    else if (isLineBreak)
                    {
                        _line++;
                        EndField();
                        record = [.. _fields];
                        return true;
                    }
                    else
                    {
                        throw new CsvFormatException(_line,
                            $"unexpected character '{c}' after the closing quote of field {_fields.Count + 1}; a quoted field must end at a comma or line end (write \"\" for a quote inside it).");
                    }

                    break;
            }
        }

        return false;
    }

    private string[]? FinishAtEndOfInput()
    {
        if (_state == ParseState.Quoted)
        {
            throw new CsvFormatException(_quoteStartLine,
                $"the quoted field {_fields.Count + 1} that starts here is never closed; add the closing quote (\").");
        }

        if (_state == ParseState.FieldStart && _fields.Count == 0)
        {
            return null;
        }

        EndField();
        _state = ParseState.FieldStart;
        return [.. _fields];
    }

    private void Append(char c) => Append(new ReadOnlySpan<char>(in c));

    private void Append(ReadOnlySpan<char> chars)
    {
        if (_field.Length + chars.Length > _maxFieldLength)
        {
            var start = _state is ParseState.Quoted or ParseState.QuoteInQuoted ? _quoteStartLine : _line;
            throw new CsvFormatException(start,
                $"field {_fields.Count + 1} is longer than {_maxFieldLength:N0} characters; this usually means a quote was opened and never closed.");
        }

        _field.Append(chars);
    }

    private void EndField()
    {
        if (_fields.Count == _maxFields)
        {
            throw new CsvFormatException(_recordStartLine,
                $"the row has more than {_maxFields:N0} fields; at most {_maxFields:N0} columns are supported.");
        }

        _fields.Add(_field.ToString());
        _field.Clear();
    }

    private string[] ValidateHeader(string[]? record)
    {
        if (record is null)
        {
            throw new CsvFormatException(1, "the file is empty; expected a header row with the column names.");
        }

        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < record.Length; i++)
        {
            var name = record[i].Trim();
            if (name.Length == 0)
            {
                throw new CsvFormatException(_recordStartLine,
                    $"column {i + 1} of the header has no name; give every column a name.");
            }

            if (!seen.TryAdd(name, i))
            {
                throw new CsvFormatException(_recordStartLine,
                    $"the header name '{name}' is used by columns {seen[name] + 1} and {i + 1}; header names must be unique (ignoring case).");
            }

            record[i] = name;
        }

        return record;
    }

    private string[]? CheckFieldCount(string[]? record)
    {
        if (record is not null && Header is not null && record.Length != Header.Count)
        {
            throw new CsvFormatException(_recordStartLine,
                $"the row has {record.Length} fields but the header has {Header.Count}; check for a missing or extra comma, and put quotes around values that contain commas.");
        }

        return record;
    }
}
