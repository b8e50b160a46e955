namespace Portal.Data.Artifacts;

/// <summary>
/// Content written to the store's temporary folder and hashed, but not yet addressable. Read it back with
/// <see cref="OpenRead"/> (for example to analyse an upload before accepting it), then <see cref="Commit"/>;
/// disposing without committing deletes it, so rejected input leaves nothing behind.
/// </summary>
public sealed class StagedBlob : IDisposable
{
    private readonly ContentAddressedStore _store;
    private readonly string _tempPath;
    private bool _finished;

    internal StagedBlob(ContentAddressedStore store, string tempPath, string sha256, long size)
    {
        _store = store;
        _tempPath = tempPath;
        Sha256 = sha256;
        Size = size;
    }

    /// <summary>SHA-256 of the content, 64 lowercase hex digits.</summary>
    public string Sha256 { get; }

    public long Size { get; }

    /// <summary>A seekable read-only stream over the staged content; dispose it before <see cref="Commit"/>.</summary>
    public Stream OpenRead()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        return new FileStream(_tempPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81_920,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
    }

    /// <summary>Moves the content to its address (or keeps the identical blob already there). Can be called once.</summary>
    public StoredBlob Commit()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        return _store.Commit(_tempPath, Sha256, Size);
    }

    /// <summary>Discards the content unless it was committed.</summary>
    public void Dispose()
    {
        if (!_finished)
        {
            _finished = true;
            ContentAddressedStore.TryDelete(_tempPath);
        }
    }
}
