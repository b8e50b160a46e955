using System.Text;

namespace Portal.Domain.Datasets;

/// <summary>
/// Tells a text CSV from a file that is not text (an image, a spreadsheet, an archive), so that an upload of the
/// wrong file is refused with what it looks like instead of a quote error somewhere inside it.
/// </summary>
public static class TextContent
{
    /// <summary>Bytes needed to recognise every signature in <see cref="Describe"/>.</summary>
    public const int SignatureLength = 8;

    private static readonly (byte[] Signature, string Description)[] Signatures =
    [
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG image"),
        ([0xFF, 0xD8, 0xFF], "a JPEG image"),
        ("GIF87a"u8.ToArray(), "a GIF image"),
        ("GIF89a"u8.ToArray(), "a GIF image"),
        ("%PDF-"u8.ToArray(), "a PDF document"),
        ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive, such as an Excel .xlsx workbook"),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "an Office document, such as an Excel .xls workbook"),
        ([0x1F, 0x8B], "a gzip archive"),
        ("PAR1"u8.ToArray(), "a Parquet file"),
        ("SQLite format 3"u8.ToArray()[..SignatureLength], "an SQLite database"),
    ];

    /// <summary>What the start of a file looks like when it is a known binary format, else null.</summary>
    public static string? Describe(ReadOnlySpan<byte> start)
    {
        foreach (var (signature, description) in Signatures)
        {
            if (start.StartsWith(signature))
            {
                return description;
            }
        }

        return null;
    }

    /// <summary>
    /// Wraps <paramref name="content"/> so that reading it raises <see cref="CsvFormatException"/> (line 0: the whole
    /// file) as soon as it shows a binary signature, a NUL byte or a byte sequence that is not UTF-8. A UTF-16 or
    /// UTF-32 byte order mark turns the checks off: such a file is text in another encoding.
    /// </summary>
    public static Stream RequireText(Stream content, bool leaveOpen = false) => new TextOnlyStream(content, leaveOpen);

    private sealed class TextOnlyStream(Stream inner, bool leaveOpen) : Stream
    {
        private readonly Decoder utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        private readonly char[] chars = new char[4096];
        private readonly byte[] start = new byte[SignatureLength];
        private int startLength;
        private bool startChecked;
        private bool otherEncoding;
        private long offset;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => offset;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            Check(buffer[..read]);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Check(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Check(ReadOnlySpan<byte> bytes)
        {
            if (!startChecked)
            {
                var take = Math.Min(bytes.Length, start.Length - startLength);
                bytes[..take].CopyTo(start.AsSpan(startLength));
                startLength += take;
                if (startLength == start.Length || bytes.Length == 0)
                {
                    startChecked = true;
                    var head = start.AsSpan(0, startLength);
                    if (Describe(head) is { } looksLike)
                    {
                        throw NotText($"it looks like {looksLike}");
                    }

                    // UTF-16 (FF FE, FE FF) and UTF-32 byte order marks: the reader decodes these; NULs are normal there.
                    otherEncoding = head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])
                                    || head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]);
                }
            }

            if (!otherEncoding && bytes.Length > 0)
            {
                if (bytes.IndexOf((byte)0) is >= 0 and var nul)
                {
                    throw NotText($"it contains a NUL byte at byte {offset + nul + 1}, as binary files do");
                }

                var checkedBytes = 0;
                try
                {
                    while (checkedBytes < bytes.Length)
                    {
                        // Convert, not GetCharCount: it carries a sequence split between two reads over to the next.
                        utf8.Convert(bytes[checkedBytes..], chars, flush: false, out var used, out _, out _);
                        checkedBytes += used;
                    }
                }
                catch (DecoderFallbackException ex)
                {
                    var at = offset + checkedBytes + Math.Max(ex.Index, 0) + 1;
                    var value = ex.BytesUnknown is { Length: > 0 } unknown ? $" (0x{unknown[0]:X2})" : "";
                    throw new CsvFormatException(0,
                        $"This is not a UTF-8 text CSV file: byte {at}{value} is not UTF-8. Save it as CSV UTF-8 and upload it again.");
                }
            }

            offset += bytes.Length;
        }

        private static CsvFormatException NotText(string why) => new(0, $"This is not a text CSV file ({why}).");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && !leaveOpen)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
