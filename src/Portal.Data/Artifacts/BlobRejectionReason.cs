namespace Portal.Data.Artifacts;

/// <summary>Why the store refused content.</summary>
public enum BlobRejectionReason
{
    Empty = 0,
    TooLarge = 1,
}
