using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Serving;

namespace Portal.Data.Serving;

/// <summary>
/// One logged predict request on its way into the <see cref="PredictionBatch"/> table through
/// <see cref="PredictionLogBatchWriter"/>: the same columns, with the rows and outputs as the exact UTF-8 bytes of their
/// JSON (no UTF-16 string is made of them on the serving path).
/// </summary>
public sealed record PredictionLogRow(
    PredictionBatchId Id,
    RegisteredModelId ModelId,
    ModelVersionId ModelVersionId,
    int VersionNumber,
    RolloutId? RolloutId,
    ServingArm Arm,
    DateTime ReceivedUtc,
    int RowCount,
    int ErrorCount,
    long DurationMicroseconds,
    ReadOnlyMemory<byte> InputsUtf8,
    ReadOnlyMemory<byte> OutputsUtf8);
