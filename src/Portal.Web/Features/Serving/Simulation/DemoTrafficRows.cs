using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Portal.Domain.Registry;
using Portal.Ml.DemoData;

namespace Portal.Web.Features.Serving.Simulation;

/// <summary>One generated application: the row as the predict endpoint takes it (the model's signature, typed) and its true outcome.</summary>
public sealed record DemoTrafficRow(JsonObject Inputs, bool Defaulted);

/// <summary>
/// Endless loan applications from <see cref="LoanDefaultGenerator"/> — the generator the demo models were trained on — shaped
/// to a model's input signature: only the fields it reads, numbers as JSON numbers, booleans as JSON booleans, the rest as text.
/// Rows are generated in small chunks, each with the drift asked for when it is drawn (<see cref="LoanDefaultGenerator"/>'s covariate
/// and concept drift), so a drift shows in the traffic within a chunk. Not thread-safe: one instance per sending loop.
/// </summary>
public sealed class DemoTrafficRows(int seed)
{
    private const int Chunk = 100;
    private readonly Queue<(Dictionary<string, string> Values, bool Defaulted)> buffered = new();
    private int chunks;

    public DemoTrafficRow Next(IReadOnlyList<InputFeature> signature, double covariateDrift = 0, double conceptDrift = 0)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (buffered.Count == 0)
        {
            Refill(covariateDrift, conceptDrift);
        }

        var (values, defaulted) = buffered.Dequeue();
        var inputs = new JsonObject();
        foreach (var feature in signature)
        {
            if (values.TryGetValue(feature.Name, out var text))
            {
                inputs[feature.Name] = Typed(text, feature.Type);
            }
        }

        return new(inputs, defaulted);
    }

    private static JsonNode? Typed(string text, string type) => type switch
    {
        "Single" or "Double" or "Int32" or "Int64" or "Int16" or "Byte" or "Decimal" =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : JsonValue.Create(text),
        "Boolean" => JsonValue.Create(text is "yes" or "1" or "true" or "True"),
        _ => JsonValue.Create(text),
    };

    private void Refill(double covariateDrift, double conceptDrift)
    {
        using var csv = new MemoryStream();
        new LoanDefaultGenerator(seed + chunks++).Write(csv, Chunk, covariateDrift, conceptDrift);
        var lines = Encoding.UTF8.GetString(csv.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            var values = header.Zip(cells).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
            buffered.Enqueue((values, values[LoanDefaultGenerator.Label] == "1"));
        }
    }
}
