using System.Buffers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Portal.Data.Artifacts;

/// <summary>
/// Stores immutable blobs under <c>&lt;root&gt;/sha256/&lt;first two hex digits&gt;/&lt;hash&gt;</c>. Content is streamed
/// to a temporary file in the root while it is hashed and counted (one buffer in memory), then renamed into place
/// atomically; identical content is stored once. Hashes given by callers are validated, so no path leaves the root.
/// </summary>
public sealed partial class ContentAddressedStore
{
    private const string BlobFolder = "sha256";
    private const string TempFolder = "tmp";

    private readonly string _root;
    private readonly int _bufferSize;
    private readonly long _maxUploadBytes;

    public ContentAddressedStore(ContentAddressedStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.RootDirectory);
        _root = Path.GetFullPath(options.RootDirectory);
        _bufferSize = options.BufferSize;
        _maxUploadBytes = options.MaxUploadBytes;
    }

    /// <summary>Stores <paramref name="content"/> with the configured <see cref="ContentAddressedStoreOptions.MaxUploadBytes"/> limit.</summary>
    public Task<StoredBlob> PutAsync(Stream content, CancellationToken cancellationToken = default) =>
        PutAsync(content, _maxUploadBytes, cancellationToken);

    /// <summary>
    /// Stores <paramref name="content"/> (read to its end, never seeked) and returns its address. Throws
    /// <see cref="BlobRejectedException"/> when it is empty or longer than <paramref name="maxBytes"/>; the
    /// temporary file is deleted in every failure, cancellation included.
    /// </summary>
    public async Task<StoredBlob> PutAsync(Stream content, long maxBytes, CancellationToken cancellationToken = default)
    {
        using var staged = await StageAsync(content, maxBytes, cancellationToken).ConfigureAwait(false);
        return staged.Commit();
    }

    /// <summary>
    /// Streams <paramref name="content"/> to a temporary file in the store, hashed and counted, without making it
    /// addressable yet: the caller can read it back (to validate it), then <see cref="StagedBlob.Commit"/> it, or
    /// dispose it to discard it. Same rejections as <see cref="PutAsync(Stream, long, CancellationToken)"/>.
    /// </summary>
    public async Task<StagedBlob> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);

        var tempDirectory = Path.Combine(_root, TempFolder);
        Directory.CreateDirectory(tempDirectory);
        var tempPath = Path.Combine(tempDirectory, $"{Guid.NewGuid():N}.partial");
        var staged = false;
        var buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
        try
        {
            long size = 0;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(tempPath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            }))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, _bufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        // Stop at the first byte over the limit instead of draining the rest of the upload.
                        throw new BlobRejectedException(BlobRejectionReason.TooLarge,
                            $"The file is larger than the maximum of {FormatBytes(maxBytes)}.");
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                if (size == 0)
                {
                    throw new BlobRejectedException(BlobRejectionReason.Empty, "The file is empty.");
                }

                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            staged = true;
            return new StagedBlob(this, tempPath, Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!staged)
            {
                TryDelete(tempPath);
            }
        }
    }

    /// <summary>Opens a stored blob for reading. Throws <see cref="FileNotFoundException"/> when it is not stored.</summary>
    public Stream OpenRead(string sha256)
    {
        var path = GetPath(sha256);
        if (!File.Exists(path))
        {
            // Without this, a missing two-digit folder surfaces as DirectoryNotFoundException.
            throw new FileNotFoundException($"No blob with SHA-256 {sha256} is stored.", path);
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81_920,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
    }

    public bool Exists(string sha256) => File.Exists(GetPath(sha256));

    /// <summary>Absolute path of a blob (whether or not it is stored). Throws <see cref="ArgumentException"/> unless the hash is 64 lowercase hex digits.</summary>
    public string GetPath(string sha256)
    {
        ValidateHash(sha256);
        return Path.Combine(_root, BlobFolder, sha256[..2], sha256);
    }

    /// <summary>Makes a staged temp file addressable; the temp file is gone afterwards either way.</summary>
    internal StoredBlob Commit(string tempPath, string sha256, long size)
    {
        var finalPath = GetPath(sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
        var alreadyExisted = !TryMoveIntoPlace(tempPath, finalPath);
        if (alreadyExisted)
        {
            TryDelete(tempPath);
        }

        return new StoredBlob(sha256, size, RelativePath(sha256), alreadyExisted);
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover *.partial holds no addressable content and can be swept later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string RelativePath(string sha256) => $"{BlobFolder}/{sha256[..2]}/{sha256}";

    private static void ValidateHash(string sha256)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        if (!Sha256Hex().IsMatch(sha256))
        {
            throw new ArgumentException("A SHA-256 address is exactly 64 lowercase hexadecimal digits.", nameof(sha256));
        }
    }

    /// <summary>True when the temp file became the blob; false when the blob already existed (the temp file stays for the caller to delete).</summary>
    private static bool TryMoveIntoPlace(string tempPath, string finalPath)
    {
        if (File.Exists(finalPath))
        {
            return false;
        }

        try
        {
            File.Move(tempPath, finalPath, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(finalPath))
        {
            // Another upload of the same content won the race; its file is identical.
            return false;
        }
    }

    private static string FormatBytes(long bytes) =>
        bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MB" : $"{bytes:N0} bytes";

    [GeneratedRegex(@"^[0-9a-f]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Hex();
}
