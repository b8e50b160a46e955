namespace Portal.Web.Infrastructure;

/// <summary>One page of a server-side paged list and the total count that matches the filter.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)
{
    public const int MaxPageSize = 200;

    public static (int Page, int PageSize) Normalize(int? page, int? pageSize) =>
        (Math.Max(0, page ?? 0), Math.Clamp(pageSize ?? 25, 1, MaxPageSize));
}
