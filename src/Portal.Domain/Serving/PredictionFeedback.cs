using Portal.Domain.Registry;
using Portal.Domain.Rollouts;

namespace Portal.Domain.Serving;

/// <summary>
/// Ground truth for one prediction, posted when it is known (late labels are fine): the actual label, and whether the
/// prediction was right (classification) or how far off it was (regression), judged when the label arrives. It carries its
/// prediction's version, rollout and arm, so that a rollout step's analysis and live accuracy are one aggregate query.
/// </summary>
public sealed class PredictionFeedback
{
    public const int MaxLabelLength = 256;

    private PredictionFeedback()
    {
    }

    public PredictionId PredictionId { get; private set; }

    public PredictionBatchId BatchId { get; private set; }

    public RegisteredModelId ModelId { get; private set; }

    public ModelVersionId ModelVersionId { get; private set; }

    public RolloutId? RolloutId { get; private set; }

    public ServingArm Arm { get; private set; }

    /// <summary>When the prediction was made (its batch's time): analysis windows are by prediction time.</summary>
    public DateTime PredictedUtc { get; private set; }

    public DateTime ReceivedUtc { get; private set; }

    public string ActualLabel { get; private set; } = "";

    /// <summary>Classification: whether the predicted label equals the actual one. Null for regression.</summary>
    public bool? Correct { get; private set; }

    /// <summary>Regression: |predicted − actual|. Null for classification.</summary>
    public double? AbsoluteError { get; private set; }

    public static PredictionFeedback Record(PredictionId predictionId, PredictionBatch batch, string actualLabel, bool? correct, double? absoluteError,
        DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return new()
        {
            PredictionId = predictionId,
            BatchId = batch.Id,
            ModelId = batch.ModelId,
            ModelVersionId = batch.ModelVersionId,
            RolloutId = batch.RolloutId,
            Arm = batch.Arm,
            PredictedUtc = batch.ReceivedUtc,
            ReceivedUtc = receivedAt.UtcDateTime,
            ActualLabel = actualLabel,
            Correct = correct,
            AbsoluteError = absoluteError,
        };
    }

    /// <summary>A later label for the same prediction replaces the earlier one (a corrected label).</summary>
    public void Replace(string actualLabel, bool? correct, double? absoluteError, DateTimeOffset receivedAt)
    {
        ActualLabel = actualLabel;
        Correct = correct;
        AbsoluteError = absoluteError;
        ReceivedUtc = receivedAt.UtcDateTime;
    }
}
