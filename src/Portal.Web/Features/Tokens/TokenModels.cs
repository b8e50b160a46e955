namespace Portal.Web.Features.Tokens;

/// <summary>A token as lists show it; the secret is never part of it.</summary>
public sealed record TokenRow(
    Guid Id, string UserId, string UserEmail, string Name, string DisplayPrefix, IReadOnlyList<string> Scopes,
    DateTime CreatedUtc, DateTime ExpiresUtc, DateTime? RevokedUtc, DateTime? LastUsedUtc)
{
    public string State(DateTimeOffset now) =>
        RevokedUtc is not null ? "Revoked" : now.UtcDateTime >= ExpiresUtc ? "Expired" : "Active";
}

/// <summary>What the creator sees exactly once.</summary>
public sealed record CreatedToken(Guid Id, string Name, string Token, IReadOnlyList<string> Scopes, DateTime ExpiresUtc);

public sealed record CreateTokenRequest(string? Name, IReadOnlyList<string>? Scopes, int? Days);
