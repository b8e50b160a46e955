using Microsoft.AspNetCore.Http.Metadata;

namespace Portal.Web.Infrastructure;

/// <summary>
/// An endpoint's own request body limit, from configuration: routing applies it in place of the server-wide default
/// (Kestrel's 30 MB), and a body over it is answered 413 with the limit named (<see cref="ApiExceptionHandler"/>).
/// </summary>
internal sealed class RequestBodyLimit(long maxBytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize { get; } = maxBytes;
}

internal static class RequestBodyLimitExtensions
{
    public static RouteHandlerBuilder WithRequestBodyLimit(this RouteHandlerBuilder endpoint, long maxBytes) =>
        endpoint.WithMetadata(new RequestBodyLimit(maxBytes));
}
