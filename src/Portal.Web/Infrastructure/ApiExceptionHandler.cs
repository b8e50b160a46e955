using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Security;

namespace Portal.Web.Infrastructure;

/// <summary>
/// The API's safety net for requests the caller got wrong: an unreadable body (malformed JSON or multipart, a value of
/// the wrong type, a body over the endpoint's size limit) is a 4xx problem that says what to fix, never a 500. Each
/// endpoint should refuse its bad input itself; this catches what slips through. Anything else stays a 500.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!ApiPaths.IsApi(context) || Describe(context, exception) is not { } problem)
        {
            return false;
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The problem for an exception caused by the request itself, or null for a server fault.</summary>
    internal static ProblemDetails? Describe(HttpContext context, Exception exception)
    {
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        return exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => TooLarge(endpoint),
            BadHttpRequestException { InnerException: JsonException json } => Malformed(JsonProblem(json)),
            BadHttpRequestException bad => Problem(bad.StatusCode, "Invalid request", bad.Message),
            JsonException json => Malformed(JsonProblem(json)),
            // The multipart and form readers throw these for a body that breaks their limits or grammar.
            InvalidDataException data => Malformed($"The request body is malformed: {data.Message}"),
            IOException io when FromRequestReaders(io) => Malformed($"The request body is malformed or incomplete: {io.Message}"),
            _ => null,
        };
    }

    /// <summary>The 413 answer, naming the limit of the endpoint that refused the body.</summary>
    internal static ProblemDetails TooLarge(Endpoint? endpoint)
    {
        var limit = endpoint?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
        return Problem(StatusCodes.Status413PayloadTooLarge, "Too large", limit is { } bytes
            ? $"The request body is larger than this endpoint's limit of {FormatMegabytes(bytes)}."
            : "The request body is larger than the server accepts.");
    }

    internal static string FormatMegabytes(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MB" : $"{bytes / (1024d * 1024):0.##} MB";

    private static string JsonProblem(JsonException json) =>
        $"The JSON body is malformed or has a value of the wrong type" +
        (json.Path is { Length: > 0 } path ? $" at {path}" : "") +
        (json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "") +
        ". Send a JSON object whose fields have the documented types.";

    /// <summary>Whether the request body readers (multipart, Kestrel, the test host) threw it: the body, not the disk, is at fault.</summary>
    internal static bool FromRequestReaders(IOException exception) =>
        exception.TargetSite?.DeclaringType?.Namespace is { } ns
        && (ns.StartsWith("Microsoft.AspNetCore.WebUtilities", StringComparison.Ordinal)
            || ns.StartsWith("Microsoft.AspNetCore.Server", StringComparison.Ordinal)
            || ns.StartsWith("Microsoft.AspNetCore.TestHost", StringComparison.Ordinal));

    private static ProblemDetails Malformed(string detail) => Problem(StatusCodes.Status400BadRequest, "Invalid request", detail);

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };
}
