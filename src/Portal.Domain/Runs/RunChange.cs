namespace Portal.Domain.Runs;

/// <summary>Every action that changes an existing run; each one is decided by <see cref="RunOwnership"/>.</summary>
public enum RunChange
{
    /// <summary>Cancel a queued or running run (managed or external).</summary>
    Cancel,

    /// <summary>Log metrics, params and tags to an external run.</summary>
    LogBatch,

    /// <summary>Attach the model file of an external run.</summary>
    AttachModel,

    /// <summary>Post the end status of an external run.</summary>
    End,
}
