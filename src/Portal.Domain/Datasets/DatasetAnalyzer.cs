namespace Portal.Domain.Datasets;

/// <summary>
/// Reads a CSV once, record by record, and infers each column's <see cref="ColumnType"/> and profile (counts,
/// missing, distinct, numeric statistics, quantiles, histogram, top values, date range, personal-data suspicion).
/// Memory is bounded per column (see <see cref="DatasetAnalyzerOptions"/>), so file size does not matter.
/// Malformed input raises <see cref="CsvFormatException"/>.
/// </summary>
public sealed class DatasetAnalyzer
{
    private readonly DatasetAnalyzerOptions _options;
    private readonly PersonalDataDetector _detector;

    public DatasetAnalyzer(DatasetAnalyzerOptions? options = null, PersonalDataDetector? detector = null)
    {
        _options = options ?? new DatasetAnalyzerOptions();
        _detector = detector ?? new PersonalDataDetector();
    }

    /// <summary>Analyzes UTF-8 CSV (optional BOM) from <paramref name="csv"/>; the stream is left open.</summary>
    public DatasetAnalysis Analyze(Stream csv)
    {
        using var reader = CsvReader.Create(csv, leaveOpen: true, maxFields: _options.MaxColumns);
        return Analyze(reader);
    }

    /// <summary>Analyzes CSV text; the reader is left open.</summary>
    public DatasetAnalysis Analyze(TextReader csv)
    {
        using var reader = new CsvReader(csv, maxFields: _options.MaxColumns, leaveOpen: true);
        return Analyze(reader);
    }

    /// <summary>Like <see cref="Analyze(Stream)"/> with asynchronous reads, for streams that must not block.</summary>
    public async Task<DatasetAnalysis> AnalyzeAsync(Stream csv, CancellationToken cancellationToken = default)
    {
        using var reader = CsvReader.Create(csv, leaveOpen: true, maxFields: _options.MaxColumns);
        var columns = CreateColumns(await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false));
        long rows = 0;
        while (await reader.ReadRecordAsync(cancellationToken).ConfigureAwait(false) is { } record)
        {
            Accumulate(columns, record);
            rows++;
        }

        return Build(rows, columns);
    }

    private DatasetAnalysis Analyze(CsvReader reader)
    {
        var columns = CreateColumns(reader.ReadHeader());
        long rows = 0;
        while (reader.ReadRecord() is { } record)
        {
            Accumulate(columns, record);
            rows++;
        }

        return Build(rows, columns);
    }

    private ColumnAccumulator[] CreateColumns(IReadOnlyList<string> header) =>
        [.. header.Select((name, ordinal) => new ColumnAccumulator(ordinal, name, _options))];

    private static void Accumulate(ColumnAccumulator[] columns, string[] record)
    {
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i].Add(record[i]);
        }
    }

    private DatasetAnalysis Build(long rows, ColumnAccumulator[] columns) =>
        new(rows, [.. columns.Select(column => column.Build(_detector))]);
}
