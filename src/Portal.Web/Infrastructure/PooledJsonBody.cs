using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Portal.Web.Infrastructure;

/// <summary>
/// A JSON request body read into one buffer rented from the shared pool and parsed in place (the document's index is
/// pooled too), for a hot endpoint with large bodies (predict). Binding a <see cref="JsonElement"/> parameter copies the
/// value and its index into fresh arrays per request: for a batch of 1,000 rows those were large-object-heap
/// allocations, and almost every collection during a batch benchmark was a gen-2 one (docs/benchmarks.md, "Serving,
/// fifth pass"). Disposing returns both arrays; no element of <see cref="Root"/> may be used after that.
/// </summary>
internal sealed class PooledJsonBody : IDisposable
{
    private const int FirstRead = 16 * 1024;
    private const int LargestFirstRead = 1024 * 1024;
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private readonly JsonDocument document;
    private byte[]? buffer;

    private PooledJsonBody(byte[] buffer, JsonDocument document)
    {
        this.buffer = buffer;
        this.document = document;
    }

    public JsonElement Root => document.RootElement;

    /// <summary>Whether a content type is JSON: <c>application/json</c> or any <c>+json</c> type.</summary>
    public static bool IsJson(string? contentType) =>
        contentType is not null
        && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>
    /// Reads and parses the body. Null when it is over the endpoint's size limit (read no further than past it, whatever
    /// Content-Length claims); a <see cref="JsonException"/> when it is not JSON.
    /// </summary>
    public static async Task<PooledJsonBody?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? Array.MaxLength;
        if (request.ContentLength > limit)
        {
            return null;
        }

        // A declared length sizes the first buffer, up to a cap: a caller declaring the limit and sending a trickle holds no more.
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is { } declared and > 0 ? (int)Math.Min(declared + 1, LargestFirstRead) : FirstRead);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, Array.MaxLength));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }
            }

            var json = buffer.AsMemory(0, length);
            if (json.Span.StartsWith(Utf8Bom))
            {
                json = json[Utf8Bom.Length..];
            }

            return new PooledJsonBody(buffer, JsonDocument.Parse(json));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref buffer, null) is { } rented)
        {
            document.Dispose();
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
