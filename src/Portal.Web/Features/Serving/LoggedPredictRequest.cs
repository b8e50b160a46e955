using System.Buffers;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Serving;

namespace Portal.Web.Features.Serving;

/// <summary>
/// A predict request handed to <see cref="PredictionLog"/>: what the response already holds (the route, the number of rows)
/// plus two copies in pooled arrays, given back once they are written (or dropped): the request's rows as the UTF-8 bytes
/// the caller sent, and the outputs as the answer wrote them (<see cref="WrittenOutputs.Json"/>). Nothing is serialized
/// for the log alone.
/// </summary>
public sealed record LoggedPredictRequest(
    PredictionBatchId Id,
    RegisteredModelId ModelId,
    ModelVersionId ModelVersionId,
    int VersionNumber,
    RolloutId? RolloutId,
    ServingArm Arm,
    DateTimeOffset Received,
    int RowCount,
    int ErrorCount,
    long DurationMicroseconds,
    PooledBytes Rows,
    PooledBytes Outputs) : IDisposable
{
    /// <summary>Gives both arrays back to the pool.</summary>
    public void Dispose()
    {
        Rows.Dispose();
        Outputs.Dispose();
    }
}

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
