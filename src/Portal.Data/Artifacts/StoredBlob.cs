namespace Portal.Data.Artifacts;

/// <summary>
/// A blob in the content-addressed store: its SHA-256 (64 lowercase hex digits), size in bytes, path relative to the
/// store root (with '/' separators), and whether identical content was already stored before this upload.
/// </summary>
public sealed record StoredBlob(string Sha256, long Size, string RelativePath, bool AlreadyExisted);
