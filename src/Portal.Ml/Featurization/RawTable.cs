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
        var columns = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var c in schema)
        {
            columns[c.Name] = view.GetColumn<ReadOnlyMemory<char>>(c.Name).Select(v => v.ToString()).ToArray();
        }

        return new RawTable(columns, columns.Count == 0 ? 0 : columns.First().Value.Length);
    }
}
