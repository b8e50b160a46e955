using Microsoft.ML;
using Microsoft.ML.Data;
using Portal.Domain.Datasets;

namespace Portal.Ml.Featurization;

/// <summary>Every column of the CSV as strings (empty = missing), read once for label mapping and data diagnostics.</summary>
internal sealed class RawTable
{
    private RawTable(IReadOnlyDictionary<string, string[]> columns, int rows)
    {
        Columns = columns;
        Rows = rows;
    }

    public IReadOnlyDictionary<string, string[]> Columns { get; }

    public int Rows { get; }

    public static RawTable Load(MLContext ml, string path, IReadOnlyList<ColumnSchema> schema)
    {
        var loader = ml.Data.CreateTextLoader(
            schema.Select(c => new TextLoader.Column(c.Name, DataKind.String, c.Ordinal)).ToArray(),
            separatorChar: ',', hasHeader: true, allowQuoting: true, trimWhitespace: true);
        var view = loader.Load(path);
        var lists = schema.Select(_ => new List<string>()).ToArray();
        var getters = new ValueGetter<ReadOnlyMemory<char>>[schema.Count];
        using (var cursor = view.GetRowCursor(view.Schema))
        {
            for (var c = 0; c < schema.Count; c++)
            {
                getters[c] = cursor.GetGetter<ReadOnlyMemory<char>>(view.Schema[schema[c].Name]);
            }

            // One pass over the file for all columns (GetColumn per column would parse the file once per column).
            ReadOnlyMemory<char> value = default;
            while (cursor.MoveNext())
            {
                for (var c = 0; c < schema.Count; c++)
                {
                    getters[c](ref value);
                    lists[c].Add(value.IsEmpty ? string.Empty : value.ToString());
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
