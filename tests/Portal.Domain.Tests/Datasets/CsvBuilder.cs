using System.Text;

namespace Portal.Domain.Tests.Datasets;

/// <summary>Builds a CSV column by column (quoting where needed) for analyzer tests.</summary>
public sealed class CsvBuilder
{
    private readonly List<(string Name, IReadOnlyList<string> Values)> _columns = [];

    public CsvBuilder Column(string name, params IEnumerable<string> values)
    {
        _columns.Add((name, values.ToList()));
        return this;
    }

    public CsvBuilder Column(string name, IEnumerable<double> values) =>
        Column(name, values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

    public string Build()
    {
        var rows = _columns.Count == 0 ? 0 : _columns.Max(c => c.Values.Count);
        var csv = new StringBuilder();
        csv.AppendJoin(',', _columns.Select(c => Quote(c.Name))).Append('\n');
        for (var row = 0; row < rows; row++)
        {
            csv.AppendJoin(',', _columns.Select(c => row < c.Values.Count ? Quote(c.Values[row]) : "")).Append('\n');
        }

        return csv.ToString();
    }

    public Stream BuildStream() => new MemoryStream(Encoding.UTF8.GetBytes(Build()));

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
