using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Serving;
using Portal.Ml.Serving;

namespace Portal.Web.Features.Serving;

/// <summary>
/// A predict request handed to <see cref="PredictionLog"/>: what the response already holds (the route, the scored
/// rows) plus the request's rows as the UTF-8 bytes the caller sent. Nothing is serialized on the serving path; the
/// writer turns the outputs into JSON when it writes (<see cref="LoggedOutput.Write"/>).
/// </summary>
public sealed record LoggedPredictRequest(
    PredictionBatchId Id,
    RegisteredModelId ModelId,
    ModelVersionId ModelVersionId,
    int VersionNumber,
    RolloutId? RolloutId,
    ServingArm Arm,
    DateTimeOffset Received,
    int ErrorCount,
    long DurationMicroseconds,
    byte[] RowsUtf8,
    IReadOnlyList<RowPrediction> Outputs);
