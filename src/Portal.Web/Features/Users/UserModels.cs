namespace Portal.Web.Features.Users;

public sealed record UserRow(
    string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, DateTimeOffset? LockoutEnd,
    int AccessFailedCount, DateTime CreatedUtc)
{
    public bool IsLockedOut(DateTimeOffset now) => LockoutEnd is { } end && end > now;
}

public sealed record CreateUserRequest(string? Email, string? DisplayName, string? Password, IReadOnlyList<string>? Roles);

public sealed record UserQuery(string? Search, int Page = 0, int PageSize = 25);
