namespace Portal.Application;

public enum OperationStatus
{
    Ok,
    Invalid,
    NotFound,
    Forbidden,
    Conflict,

    /// <summary>The input is over a size limit; the message names the limit.</summary>
    TooLarge,
}

/// <summary>Outcome of a use case: a value, or a status with a message that tells the user what to fix.</summary>
public sealed record OperationResult<T>(OperationStatus Status, T? Value, string? Error)
{
    public bool Succeeded => Status == OperationStatus.Ok;

    public static OperationResult<T> Ok(T value) => new(OperationStatus.Ok, value, null);

    public static OperationResult<T> Fail(OperationStatus status, string error) => new(status, default, error);

    /// <summary>The same failure, for a use case that answers with another type.</summary>
    public OperationResult<TOther> FailAs<TOther>() =>
        Succeeded ? throw new InvalidOperationException("A successful result is not a failure.") : new(Status, default, Error);
}
