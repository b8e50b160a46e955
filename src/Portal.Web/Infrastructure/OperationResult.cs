namespace Portal.Web.Infrastructure;

public enum OperationStatus
{
    Ok,
    Invalid,
    NotFound,
    Forbidden,
    Conflict,
}

/// <summary>Outcome of a feature operation: a value, or a status with a message that tells the user what to fix.</summary>
public sealed record OperationResult<T>(OperationStatus Status, T? Value, string? Error)
{
    public bool Succeeded => Status == OperationStatus.Ok;

    public static OperationResult<T> Ok(T value) => new(OperationStatus.Ok, value, null);

    public static OperationResult<T> Fail(OperationStatus status, string error) => new(status, default, error);

    /// <summary>The HTTP answer for the API: 200/201 with the value, else a problem with the message.</summary>
    public IResult ToHttpResult(Func<T, IResult>? onSuccess = null) => Status switch
    {
        OperationStatus.Ok => onSuccess is null ? Results.Ok(Value) : onSuccess(Value!),
        OperationStatus.NotFound => Results.Problem(Error, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        OperationStatus.Forbidden => Results.Problem(Error, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden"),
        OperationStatus.Conflict => Results.Problem(Error, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
        _ => Results.Problem(Error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request"),
    };
}
