namespace Portal.Web.Features.Users;

public sealed record UserRow(
    string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, DateTimeOffset? LockoutEnd,
    int AccessFailedCount, DateTime CreatedUtc)
{
    public bool IsLockedOut(DateTimeOffset now) => LockoutEnd is { } end && end > now;
}

/// <summary>Body of <c>POST /api/users</c>; also what the create-user dialog and <c>user create</c> pass. Role names may
/// arrive as JSON nulls: they are refused with a message naming <c>roles[i]</c>.</summary>
public sealed record CreateUserRequest(string? Email, string? DisplayName, string? Password, IReadOnlyList<string?>? Roles);

public sealed record UserQuery(string? Search, int Page = 0, int PageSize = 25);
