namespace Portal.Data.Artifacts;

/// <summary>The store refused the content (empty or over the size limit); nothing was stored. The message is fit for the uploader.</summary>
public sealed class BlobRejectedException : Exception
{
    public BlobRejectedException(BlobRejectionReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public BlobRejectionReason Reason { get; }
}
