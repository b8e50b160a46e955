using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Portal.Domain.Datasets;

namespace Portal.Ml.Featurization;

/// <summary>
/// Every column of the CSV as strings (empty = missing), for label mapping and data diagnostics, read in one cursor
/// pass from the typed, cached view the pipeline itself trains from, so the file is parsed once. Text columns
/// (categorical, boolean, free text, a classification label) keep their text; numeric and date columns are kept
/// typed (numbers via <see cref="Numbers"/>, NaN where missing; a missing date is the default date) and turned into
/// text only when something asks for their text (dates, so that a message names a date rather than its ticks).
/// </summary>
internal sealed class RawTable
{
    private readonly Dictionary<string, Lazy<string[]>> _columns;
    private readonly Dictionary<string, double[]> _numbers;

    private RawTable(Dictionary<string, Lazy<string[]>> columns, Dictionary<string, double[]> numbers, int rows)
    {
        _columns = columns;
        _numbers = numbers;
        Rows = rows;
    }

    public int Rows { get; }

    /// <summary>The text of one schema column, row by row.</summary>
    public string[] Column(string name) => _columns[name].Value;

    /// <summary>
    /// A numeric column as numbers, NaN where missing; null for any other column. The rules read these directly, so
    /// numbers are never turned into text for them.
    /// </summary>
    public double[]? Numbers(string name) => _numbers.GetValueOrDefault(name);

    public static RawTable Read(IDataView view, IReadOnlyList<ColumnSchema> schema)
    {
        var sources = schema.Select(c => view.Schema[c.Name]).ToArray();
        var texts = new List<string>?[schema.Count];
        var numbers = new List<float>?[schema.Count];
        var dates = new List<DateTime>?[schema.Count];
        var rows = 0;
        using (var cursor = view.GetRowCursor(sources))
        {
            var readers = new Action[schema.Count];
            for (var c = 0; c < schema.Count; c++)
            {
                readers[c] = sources[c].Type switch
                {
                    TextDataViewType => TextReader(cursor, sources[c], texts[c] = []),
                    NumberDataViewType when sources[c].Type.RawType == typeof(float) => Reader(cursor, sources[c], numbers[c] = []),
                    DateTimeDataViewType => Reader(cursor, sources[c], dates[c] = []),
                    var other => throw new InvalidOperationException($"Column '{sources[c].Name}' is loaded as {other}; no raw form for it."),
                };
            }

            while (cursor.MoveNext())
            {
                foreach (var read in readers)
                {
                    read();
                }

                rows++;
            }
        }

        var columns = new Dictionary<string, Lazy<string[]>>(StringComparer.Ordinal);
        var asNumbers = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (var c = 0; c < schema.Count; c++)
        {
            var (text, date) = (texts[c], dates[c]);
            var number = numbers[c]?.Select(v => (double)v).ToArray();
            if (number is not null)
            {
                asNumbers[schema[c].Name] = number;
            }

            // Numbers are formatted as the floats they were loaded as (4.5, not 4.5000000001...).
            columns[schema[c].Name] = text is not null
                ? new Lazy<string[]>(text.ToArray())
                : number is not null
                    ? new Lazy<string[]>(() => Format(number, v => double.IsNaN(v) ? string.Empty : ((float)v).ToString(CultureInfo.InvariantCulture)))
                    : new Lazy<string[]>(() => Format(date!, v => v == default ? string.Empty : v.ToString("s", CultureInfo.InvariantCulture)));
        }

        return new RawTable(columns, asNumbers, rows);
    }

    private static Action TextReader(DataViewRowCursor cursor, DataViewSchema.Column column, List<string> values)
    {
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);

        // Repeated values (categories, booleans) share one string instance.
        var interned = new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        ReadOnlyMemory<char> value = default;
        return () =>
        {
            getter(ref value);
            if (value.IsEmpty)
            {
                values.Add(string.Empty);
                return;
            }

            if (!interned.TryGetValue(value.Span, out var s))
            {
                s = value.ToString();
                if (interned.Dictionary.Count < 4096)
                {
                    interned.Dictionary[s] = s;
                }
            }

            values.Add(s);
        };
    }

    private static Action Reader<T>(DataViewRowCursor cursor, DataViewSchema.Column column, List<T> values)
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            values.Add(value);
        };
    }

    private static string[] Format<T>(IReadOnlyList<T> values, Func<T, string> format)
        where T : IEquatable<T>
    {
        // Repeated values (small integers, amounts, dates) are formatted once.
        var seen = new Dictionary<T, string>();
        var result = new string[values.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var v = values[i];
            if (!seen.TryGetValue(v, out var s))
            {
                s = format(v);
                if (seen.Count < 65_536)
                {
                    seen[v] = s;
                }
            }

            result[i] = s;
        }

        return result;
    }
}
