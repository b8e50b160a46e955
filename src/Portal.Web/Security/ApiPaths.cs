namespace Portal.Web.Security;

/// <summary>Requests from programs, not people: the REST API and the SignalR hubs.</summary>
public static class ApiPaths
{
    public const string Api = "/api";

    /// <summary>SignalR hubs, whose browser clients cannot set headers on a WebSocket and send the token in the query.</summary>
    public const string Hubs = "/hubs";

    /// <summary>Their errors are status codes with problem bodies, never pages or redirects to the sign-in page.</summary>
    public static bool IsApi(HttpContext context) =>
        context.Request.Path.StartsWithSegments(Api) || context.Request.Path.StartsWithSegments(Hubs);
}
