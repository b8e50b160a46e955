using System.Buffers;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Serving;
using Portal.Ml.Serving;

namespace Portal.Web.Features.Serving;

/// <summary>
/// A predict request handed to <see cref="PredictionLog"/>: what the response already holds (the route, the scored
/// rows) plus the request's rows as the UTF-8 bytes the caller sent, copied into a pooled array the log gives back once
/// they are written (or dropped). Nothing is serialized on the serving path; the writer turns the outputs into JSON when
/// it writes (<see cref="LoggedOutput.Write"/>).
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
    PooledBytes Rows,
    IReadOnlyList<RowPrediction> Outputs);

/// <summary>
/// Bytes copied into an array rented from the shared pool (a batch's rows are hundreds of kilobytes: a fresh array per
/// request would be a large-object-heap allocation). <see cref="Dispose"/> gives the array back, once.
/// </summary>
public sealed class PooledBytes : IDisposable
{
    private readonly int length;
    private byte[]? array;

    private PooledBytes(byte[] array, int length)
    {
        this.array = array;
        this.length = length;
    }

    public ReadOnlyMemory<byte> Memory => array is { } rented ? rented.AsMemory(0, length) : throw new ObjectDisposedException(nameof(PooledBytes));

    public static PooledBytes Copy(ReadOnlySpan<byte> bytes)
    {
        var rented = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(rented);
        return new PooledBytes(rented, bytes.Length);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref array, null) is { } rented)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
