using Portal.Domain.Registry;
using Portal.Domain.Rollouts;

namespace Portal.Domain.Serving;

/// <summary>
/// The log of one predict request: which version answered it (and, during a staged rollout, on which arm), when, how many
/// rows and how many of them were refused or failed, the rows as the caller sent them and what each row got back. Written
/// in batches after the response (the serving path never waits for it); it feeds rollout analysis and monitoring.
/// </summary>
public sealed class PredictionBatch
{
    private PredictionBatch()
    {
    }

    public PredictionBatchId Id { get; private set; }

    public RegisteredModelId ModelId { get; private set; }

    public ModelVersionId ModelVersionId { get; private set; }

    public int VersionNumber { get; private set; }

    /// <summary>The staged rollout whose traffic split routed this request; null outside a rollout.</summary>
    public RolloutId? RolloutId { get; private set; }

    public ServingArm Arm { get; private set; }

    public DateTime ReceivedUtc { get; private set; }

    public int RowCount { get; private set; }

    /// <summary>Rows answered with an error (a field missing, extra or mistyped, or the model failing on it).</summary>
    public int ErrorCount { get; private set; }

    /// <summary>Time spent scoring the request in the server, in microseconds.</summary>
    public long DurationMicroseconds { get; private set; }

    /// <summary>The request's rows, a JSON array of objects, as the caller sent them.</summary>
    public string InputsJson { get; private set; } = "[]";

    /// <summary>What each row got, a JSON array in row order: <c>{"predictedLabel"|"score", "probabilities"?}</c> or <c>{"error"}</c>.</summary>
    public string OutputsJson { get; private set; } = "[]";

    public static PredictionBatch Record(PredictionBatchId id, RegisteredModelId modelId, ModelVersionId versionId, int versionNumber, RolloutId? rolloutId,
        ServingArm arm, DateTimeOffset receivedAt, int rowCount, int errorCount, long durationMicroseconds, string inputsJson, string outputsJson) => new()
    {
        Id = id,
        ModelId = modelId,
        ModelVersionId = versionId,
        VersionNumber = versionNumber,
        RolloutId = rolloutId,
        Arm = arm,
        ReceivedUtc = receivedAt.UtcDateTime,
        RowCount = rowCount,
        ErrorCount = errorCount,
        DurationMicroseconds = durationMicroseconds,
        InputsJson = inputsJson,
        OutputsJson = outputsJson,
    };
}
