using System.Text.Json;

namespace Portal.Ml.Evaluation;

/// <summary>
/// What a finished run's evaluation shows beyond its metrics, stored with the run: for classification the confusion
/// matrix and per-class metrics, for regression the residual summary.
/// </summary>
public sealed record ModelEvaluation(ConfusionMatrixData? ConfusionMatrix, IReadOnlyList<PerClassMetrics> PerClass, ResidualSummary? Residuals)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public bool IsEmpty => ConfusionMatrix is null && PerClass.Count == 0 && Residuals is null;

    /// <summary>The stored form (camelCase JSON, as the API serves it).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ModelEvaluation FromJson(string json) =>
        JsonSerializer.Deserialize<ModelEvaluation>(json, Json) ?? throw new JsonException("A stored evaluation is empty.");
}
