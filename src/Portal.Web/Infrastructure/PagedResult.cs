namespace Portal.Web.Infrastructure;

/// <summary>One page of a server-side paged list and the total count that matches the filter.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)
{
    public const int MaxPageSize = 200;

    /// <summary>The deepest page index served: beyond it the row offset (page × size) would overflow.</summary>
    public const int MaxPage = int.MaxValue / MaxPageSize;

    public static (int Page, int PageSize) Normalize(int? page, int? pageSize) =>
        (Math.Clamp(page ?? 0, 0, MaxPage), Math.Clamp(pageSize ?? 25, 1, MaxPageSize));
}
