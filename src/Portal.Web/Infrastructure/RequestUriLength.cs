using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Portal.Web.Infrastructure;

/// <summary>
/// Long API request URIs get the same answer as every other refusal: 414 with a problem body that says the limit. Kestrel
/// itself would refuse a request line over its 8 KB default with an empty 414 before any middleware runs; so Kestrel's
/// limit is raised to <see cref="ServerLineLimit"/> and the API refuses anything over <see cref="MaxUriLength"/> here,
/// where the status-code pages write the problem (pages take addresses up to the server limit). A line over the raised server limit still gets Kestrel's bare answer.
/// </summary>
internal static class RequestUriLength
{
    /// <summary>The longest path and query the portal reads.</summary>
    public const int MaxUriLength = 8 * 1024;

    /// <summary>Kestrel's request-line limit: room above <see cref="MaxUriLength"/> for the portal to answer itself.</summary>
    public const int ServerLineLimit = 64 * 1024;

    public static void Configure(KestrelServerOptions options) => options.Limits.MaxRequestLineSize = ServerLineLimit;

    /// <summary>Answers 414 (body written by the status-code pages) when the path and query exceed <see cref="MaxUriLength"/>.</summary>
    public static IApplicationBuilder UseRequestUriLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if ((request.PathBase.Value?.Length ?? 0) + (request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0) > MaxUriLength)
        {
            context.Response.StatusCode = StatusCodes.Status414UriTooLong;
            return;
        }

        await next(context);
    });
}
