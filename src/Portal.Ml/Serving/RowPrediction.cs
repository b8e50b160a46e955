namespace Portal.Ml.Serving;

/// <summary>
/// What one row got: a predicted label (classification) or a score (regression), the class probabilities where the model
/// gives them (binary: the positive and the negative class; multiclass: every class), or an error saying what was wrong.
/// </summary>
public sealed record RowPrediction(string? PredictedLabel, double? Score, IReadOnlyDictionary<string, double>? Probabilities, string? Error)
{
    public bool Failed => Error is not null;

    /// <summary>The row itself was wrong (a field missing, extra or mistyped): the caller's mistake, not the model's.</summary>
    public bool InputRejected { get; private init; }

    /// <summary>A row refused before scoring, with the fields named.</summary>
    public static RowPrediction Refused(string error) => new(null, null, null, error) { InputRejected = true };

    /// <summary>A valid row the model could not score.</summary>
    public static RowPrediction ModelFailed(string error) => new(null, null, null, error);
}
