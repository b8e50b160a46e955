using System.Text.Json;

namespace Portal.Web.Features.Serving.Simulation;

/// <summary>Ground truth for one prediction, as POST /api/feedback takes it.</summary>
public sealed record DemoFeedbackItem(string PredictionId, string ActualLabel);

/// <summary>
/// Pairs a predict response with the true outcomes of the rows sent, in row order: each answered row's prediction id with its
/// row's outcome, written the way the endpoint wrote the predicted label (a JSON boolean → "true"/"false", "1"/"0" → "1"/"0",
/// "True"/"False" as such), so that the feedback endpoint's comparison is like for like. Rows answered with an error are skipped.
/// </summary>
public static class DemoFeedbackPairing
{
    public static IReadOnlyList<DemoFeedbackItem> Pair(JsonElement response, IReadOnlyList<bool> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (response.ValueKind != JsonValueKind.Object || !response.TryGetProperty("predictions", out var predictions) || predictions.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var items = new List<DemoFeedbackItem>();
        var row = 0;
        foreach (var prediction in predictions.EnumerateArray())
        {
            if (row >= outcomes.Count)
            {
                break;
            }

            var outcome = outcomes[row++];
            if (prediction.TryGetProperty("error", out var error) && error.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                continue;
            }

            if (!prediction.TryGetProperty("predictionId", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 } predictionId)
            {
                continue;
            }

            items.Add(new(predictionId, LabelLike(outcome, prediction.TryGetProperty("predictedLabel", out var label) ? label : default)));
        }

        return items;
    }

    /// <summary>The outcome in the predicted label's own form.</summary>
    public static string LabelLike(bool outcome, JsonElement predictedLabel)
    {
        if (predictedLabel.ValueKind == JsonValueKind.String && predictedLabel.GetString() is { } text)
        {
            if (text is "0" or "1")
            {
                return outcome ? "1" : "0";
            }

            if (text is "True" or "False")
            {
                return outcome ? "True" : "False";
            }
        }

        return outcome ? "true" : "false";
    }
}
