using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Portal.Ml.Serving;

namespace Portal.Web.Features.Serving;

/// <summary>
/// A request's scored rows written to JSON once, on the request path, into a pooled buffer: the JSON array the prediction
/// log stores (<see cref="LoggedOutput"/>'s form, <see cref="Json"/>), with where each row's members lie in it
/// (<see cref="MembersOf"/>). The answer copies each row's members after its id and version (<see cref="ScoredBatch"/>); the
/// log takes a copy of the whole array. Writing them twice, once for each, was most of what logging still cost a 1,000-row
/// request, and the scored rows stayed alive until the log writer got to them (docs/benchmarks.md, "Serving, eighth pass").
/// <see cref="Dispose"/> gives the buffer back, once.
/// </summary>
public sealed class WrittenOutputs : IDisposable
{
    // Rows as ML.NET's binary classifiers answer them take about 90 bytes; the buffer grows when they take more.
    private const int BytesPerRowGuess = 96;

    private readonly int[] starts;
    private readonly int[] ends;
    private byte[]? buffer;
    private int length;

    private WrittenOutputs(int rows)
    {
        starts = new int[rows];
        ends = new int[rows];
        buffer = ArrayPool<byte>.Shared.Rent(Math.Max(rows * BytesPerRowGuess, 256));
    }

    public int Count => starts.Length;

    /// <summary>The rows' outputs as the log stores them: a JSON array of one object per row.</summary>
    public ReadOnlySpan<byte> Json => Buffer.AsSpan(0, length);

    private byte[] Buffer => buffer ?? throw new ObjectDisposedException(nameof(WrittenOutputs));

    /// <summary>
    /// Writes the rows with the given encoder (the API serializer's, so that the answer escapes as the serializer would; the
    /// log reads either back alike).
    /// </summary>
    public static WrittenOutputs Write(IReadOnlyList<RowPrediction> rows, JavaScriptEncoder? encoder)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var written = new WrittenOutputs(rows.Count);
        try
        {
            var sink = new Sink(written);
            using var json = new Utf8JsonWriter(sink, new JsonWriterOptions { Encoder = encoder });
            json.WriteStartArray();
            for (var r = 0; r < rows.Count; r++)
            {
                json.WriteStartObject();
                written.starts[r] = Position(json);
                LoggedOutput.WriteFields(json, rows[r]);
                written.ends[r] = Position(json);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.Flush();
            return written;
        }
        catch
        {
            written.Dispose();
            throw;
        }
    }

    /// <summary>The members of row <paramref name="row"/>'s object (between its braces, no braces): empty for a row with none.</summary>
    public ReadOnlySpan<byte> MembersOf(int row) => Buffer.AsSpan(starts[row], ends[row] - starts[row]);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref buffer, null) is { } rented)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int Position(Utf8JsonWriter json) => checked((int)(json.BytesCommitted + json.BytesPending));

    /// <summary>The writer's output: the pooled buffer, grown (rent a larger one, copy, return the old) when it fills.</summary>
    private sealed class Sink(WrittenOutputs owner) : IBufferWriter<byte>
    {
        public void Advance(int count) => owner.length += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(owner.length);

        public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(owner.length);

        private byte[] Reserve(int sizeHint)
        {
            var current = owner.Buffer;
            var needed = owner.length + Math.Max(sizeHint, 1);
            if (needed <= current.Length)
            {
                return current;
            }

            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max((long)current.Length * 2, needed), Array.MaxLength));
            current.AsSpan(0, owner.length).CopyTo(larger);
            owner.buffer = larger;
            ArrayPool<byte>.Shared.Return(current);
            return larger;
        }
    }
}
