using Microsoft.ML;
using Microsoft.ML.Data;
using Portal.Domain.Datasets;

namespace Portal.Ml.Featurization;

/// <summary>
/// Every column of the CSV as strings (empty = missing), for label mapping and data diagnostics. Read from the
/// text columns (or text twins, <see cref="SchemaFeaturizer.CreateLoaderWithRawText"/>) of the view the
/// pipeline itself trains from, so the file is parsed once.
/// </summary>
internal sealed class RawTable
{
    private RawTable(IReadOnlyDictionary<string, string[]> columns, int rows)
    {
        Columns = columns;
        Rows = rows;
    }

    public IReadOnlyDictionary<string, string[]> Columns { get; }

    public int Rows { get; }

    /// <summary>Reads the raw text of every schema column from <paramref name="view"/> in one cursor pass.</summary>
    public static RawTable Read(IDataView view, IReadOnlyList<ColumnSchema> schema)
    {
        var sources = schema.Select(c => view.Schema[c.Name].Type is TextDataViewType
            ? view.Schema[c.Name]
            : view.Schema[SchemaFeaturizer.RawTwin(c.Name)]).ToArray();
        var lists = schema.Select(_ => new List<string>()).ToArray();
        var getters = new ValueGetter<ReadOnlyMemory<char>>[schema.Count];

        // Repeated values (categories, small integers) share one string instance per column.
        var interned = schema.Select(_ => new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>()).ToArray();
        using (var cursor = view.GetRowCursor(sources))
        {
            for (var c = 0; c < schema.Count; c++)
            {
                getters[c] = cursor.GetGetter<ReadOnlyMemory<char>>(sources[c]);
            }

            ReadOnlyMemory<char> value = default;
            while (cursor.MoveNext())
            {
                for (var c = 0; c < schema.Count; c++)
                {
                    getters[c](ref value);
                    if (value.IsEmpty)
                    {
                        lists[c].Add(string.Empty);
                        continue;
                    }

                    var lookup = interned[c];
                    if (!lookup.TryGetValue(value.Span, out var s))
                    {
                        s = value.ToString();
                        if (lookup.Dictionary.Count < 4096)
                        {
                            lookup.Dictionary[s] = s;
                        }
                    }

                    lists[c].Add(s);
                }
            }
        }

        var columns = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var c = 0; c < schema.Count; c++)
        {
            columns[schema[c].Name] = [.. lists[c]];
        }

        return new RawTable(columns, columns.Count == 0 ? 0 : columns.First().Value.Length);
    }
}
