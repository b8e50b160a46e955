using System.Text.Json;
using Portal.Domain.Registry;
using Portal.Web.Features.Serving.Simulation;
using Portal.Web.Startup;

namespace Portal.Web.Tests.Rollouts;

/// <summary>What the demo traffic simulator sends: rows shaped to the model's signature, and ground truth paired with the right predictions.</summary>
public sealed class DemoTrafficTests
{
    private static readonly InputFeature[] Signature =
        [new("age", "Single"), new("credit_score", "Single"), new("employment", "String"), new("has_guarantor", "Boolean")];

    [Fact]
    public void RowsCarryExactlyTheSignaturesFieldsTypedAsItSays()
    {
        var rows = new DemoTrafficRows(2027);

        var row = rows.Next(Signature);

        Assert.Equal(Signature.Select(f => f.Name), row.Inputs.Select(p => p.Key));
        Assert.Equal(JsonValueKind.Number, row.Inputs["age"]!.GetValueKind());
        Assert.Equal(JsonValueKind.String, row.Inputs["employment"]!.GetValueKind());
        Assert.Contains(row.Inputs["has_guarantor"]!.GetValueKind(), new[] { JsonValueKind.True, JsonValueKind.False });
    }

    [Fact]
    public void OutcomesFollowTheGeneratorsDefaultRate()
    {
        var rows = new DemoTrafficRows(2027);

        var defaults = Enumerable.Range(0, 3000).Count(_ => rows.Next(Signature).Defaulted);

        // The generator's base rate is about one in five; a constant outcome (a pairing or parsing slip) would be 0 or 3000.
        Assert.InRange(defaults, 300, 1200);
    }

    [Fact]
    public void FeedbackPairsEachAnsweredRowWithItsOwnOutcomeAndSkipsRowsWithAnError()
    {
        using var response = JsonDocument.Parse("""
            { "predictions": [
                { "predictionId": "p-1", "modelVersion": 1, "predictedLabel": "true" },
                { "error": "Field 'age' is missing." },
                { "predictionId": "p-3", "modelVersion": 2, "predictedLabel": "false" } ] }
            """);

        var items = DemoFeedbackPairing.Pair(response.RootElement, [false, true, true]);

        Assert.Equal([new DemoFeedbackItem("p-1", "false"), new DemoFeedbackItem("p-3", "true")], items);
    }

    [Theory]
    [InlineData("\"1\"", true, "1")]
    [InlineData("\"0\"", false, "0")]
    [InlineData("\"False\"", true, "True")]
    [InlineData("true", false, "false")]
    public void TheTrueLabelIsWrittenTheWayTheEndpointWroteItsPrediction(string predicted, bool outcome, string expected)
    {
        using var label = JsonDocument.Parse(predicted);

        Assert.Equal(expected, DemoFeedbackPairing.LabelLike(outcome, label.RootElement));
    }

    [Fact]
    public void AResponseWithoutPredictionsGivesNoFeedback()
    {
        using var problem = JsonDocument.Parse("""{ "title": "Not Found", "status": 404 }""");

        Assert.Empty(DemoFeedbackPairing.Pair(problem.RootElement, [true]));
    }

    [Fact]
    public void TheWorseChallengersFileHasEveryOutcomeInverted()
    {
        var original = CsvLabels(DemoRegistrySeederCsv.Original(2026, 300));

        var inverted = CsvLabels(DemoRegistrySeeder.InvertedCsv(2026, 300));

        Assert.Equal(300, inverted.Count);
        Assert.Equal(original.Select(l => l == "1" ? "0" : "1"), inverted);
    }

    private static List<string> CsvLabels(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(lines[0].Split(','), "defaulted");
        return lines.Skip(1).Select(l => l.Split(',')[at]).ToList();
    }

    private static class DemoRegistrySeederCsv
    {
        public static string Original(int seed, int rows)
        {
            using var stream = new MemoryStream();
            new Portal.Ml.DemoData.LoanDefaultGenerator(seed).Write(stream, rows);
            return System.Text.Encoding.UTF8.GetString(stream.ToArray());
        }
    }
}
