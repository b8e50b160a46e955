namespace Portal.Web.Infrastructure;

public static class OperationResultHttp
{
    /// <summary>The HTTP answer for the API: 200/201 with the value, else a problem with the message.</summary>
    public static IResult ToHttpResult<T>(this OperationResult<T> result, Func<T, IResult>? onSuccess = null) => result.Status switch
    {
        OperationStatus.Ok => onSuccess is null ? Results.Ok(result.Value) : onSuccess(result.Value!),
        OperationStatus.NotFound => Results.Problem(result.Error, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        OperationStatus.Forbidden => Results.Problem(result.Error, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden"),
        OperationStatus.Conflict => Results.Problem(result.Error, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
        OperationStatus.TooLarge => Results.Problem(result.Error, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large"),
        _ => Results.Problem(result.Error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request"),
    };
}
