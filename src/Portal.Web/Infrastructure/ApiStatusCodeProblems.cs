using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.AspNetCore.WebUtilities;

namespace Portal.Web.Infrastructure;

/// <summary>
/// Gives the API's bodiless error answers — those the framework produces before any endpoint runs: 404 for a path
/// no route matches (an id that is not a GUID), 405 for a method the path does not take, 415 for a body of the wrong
/// content type — a problem+json body whose detail says what to fix.
/// </summary>
internal static class ApiStatusCodeProblems
{
    public static async Task WriteAsync(StatusCodeContext status)
    {
        var context = status.HttpContext;
        var code = context.Response.StatusCode;
        var problem = new ProblemDetails
        {
            Status = code,
            Title = ReasonPhrases.GetReasonPhrase(code),
            Detail = Detail(context, code),
        };
        await context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    private static string Detail(HttpContext context, int code)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        return code switch
        {
            StatusCodes.Status404NotFound => NotFound(context, path),
            StatusCodes.Status405MethodNotAllowed => context.Response.Headers.Allow is { Count: > 0 } allow
                ? $"{path} does not take {request.Method}; it takes {string.Join(", ", allow.ToString())}."
                : $"{path} does not take {request.Method}.",
            StatusCodes.Status415UnsupportedMediaType =>
                $"{path} does not take a body of type '{request.ContentType ?? "(none)"}'; send {AcceptedContentTypes(context, path)}.",
            StatusCodes.Status414UriTooLong =>
                $"The address is longer than {RequestUriLength.MaxUriLength} characters; send long input in the request body.",
            StatusCodes.Status413PayloadTooLarge => ApiExceptionHandler.TooLarge(context.GetEndpoint()).Detail!,
            StatusCodes.Status400BadRequest => "The request could not be read: check the body's JSON, its field types and the query parameters.",
            StatusCodes.Status401Unauthorized => "Send a valid personal API token as 'Authorization: Bearer <token>'.",
            StatusCodes.Status403Forbidden => "You may not do this.",
            _ => $"The request failed with {code} {ReasonPhrases.GetReasonPhrase(code)}.",
        };
    }

    /// <summary>Says which route parameter is malformed when the path matches an API route but for its constraints.</summary>
    private static string NotFound(HttpContext context, string path)
    {
        foreach (var endpoint in ApiEndpoints(context))
        {
            var values = new RouteValueDictionary();
            if (!new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), []).TryMatch(path, values))
            {
                continue;
            }

            foreach (var parameter in endpoint.RoutePattern.Parameters.Where(p => p.ParameterPolicies.Count > 0))
            {
                var constraints = string.Join(", ", parameter.ParameterPolicies.Select(p => p.Content));
                if (values.TryGetValue(parameter.Name, out var value) && !Satisfies(value?.ToString(), constraints))
                {
                    return $"'{value}' is not a valid {parameter.Name} for {endpoint.RoutePattern.RawText}: it must be a {constraints}"
                           + (constraints == "guid" ? " such as 3fa85f64-5717-4562-b3fc-2c963f66afa6." : ".");
                }
            }
        }

        return $"No API endpoint answers {context.Request.Method} {path}. Check the path; the API is described at /openapi/v1.json.";
    }

    private static bool Satisfies(string? value, string constraints) => constraints switch
    {
        "guid" => Guid.TryParse(value, out _),
        "int" => int.TryParse(value, out _),
        "long" => long.TryParse(value, out _),
        _ => false,
    };

    private static string AcceptedContentTypes(HttpContext context, string path)
    {
        var accepted = ApiEndpoints(context)
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase) != false
                        && new TemplateMatcher(new RouteTemplate(e.RoutePattern), []).TryMatch(path, []))
            .SelectMany(e => e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? [])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return accepted.Count == 0 ? "a body of the documented content type" : string.Join(" or ", accepted);
    }

    private static IEnumerable<RouteEndpoint> ApiEndpoints(HttpContext context) =>
        context.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(Security.ApiPaths.Api, StringComparison.Ordinal) == true);
}
