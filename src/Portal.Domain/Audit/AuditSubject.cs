namespace Portal.Domain.Audit;

/// <summary>What an audit entry is about: a type (User, ApiToken, Dataset, ...) and that thing's id.</summary>
public sealed record AuditSubject(string Type, string Id)
{
    public static AuditSubject User(string userId) => new("User", userId);

    public static AuditSubject ApiToken(Guid tokenId) => new("ApiToken", tokenId.ToString());
}
