namespace Portal.Web.Security;

/// <summary>
/// Cross-site request forgery guard for the REST API: an unsafe request (anything but GET, HEAD, OPTIONS, TRACE) to
/// <c>/api</c> that is authenticated by the sign-in cookie must come from one of Portal's own pages, i.e. carry an
/// <c>Origin</c> (or, when a browser sends none, a <c>Referer</c>) with this request's own scheme, host and port.
/// Otherwise 403 problem+json saying why. Requests with a bearer token are unaffected: a browser never adds one by
/// itself, so a foreign page cannot forge them. Portal's UI changes data over its Blazor circuit and its form posts
/// (antiforgery tokens), not through cookie-authenticated API calls.
/// </summary>
internal sealed class SameOriginApiWritesMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments(ApiPaths.Api)
            || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method)
            || ApiTokenAuthenticationHandler.PresentedToken(request) is not null
            || context.User.Identity?.IsAuthenticated != true)
        {
            return next(context);
        }

        var origin = request.Headers.Origin.ToString();
        var source = origin.Length > 0 ? origin : request.Headers.Referer.ToString();
        if (IsSameOrigin(request, source))
        {
            return next(context);
        }

        var detail = source.Length == 0
            ? "This change came with the sign-in cookie but without an Origin or Referer header, so Portal cannot tell that one of its own pages sent it. "
            : $"This change came with the sign-in cookie from another site ({Shorten(source)}), not from one of Portal's own pages. ";
        return Results.Problem(
                detail + "Scripts and other sites must send a personal API token as 'Authorization: Bearer <token>' instead.",
                statusCode: StatusCodes.Status403Forbidden,
                title: "Cross-site request refused")
            .ExecuteAsync(context);
    }

    /// <summary>Whether an Origin or Referer value names exactly this request's scheme, host and port.</summary>
    internal static bool IsSameOrigin(HttpRequest request, string source)
    {
        if (!Uri.TryCreate(source, UriKind.Absolute, out var from) || !Uri.TryCreate($"{request.Scheme}://{request.Host}", UriKind.Absolute, out var self))
        {
            return false;
        }

        return string.Equals(from.Scheme, self.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(from.IdnHost, self.IdnHost, StringComparison.OrdinalIgnoreCase)
            && from.Port == self.Port;
    }

    private static string Shorten(string source) => source.Length <= 100 ? source : source[..100] + "…";
}
