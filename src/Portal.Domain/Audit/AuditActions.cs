namespace Portal.Domain.Audit;

/// <summary>Names of audited actions. Later features add theirs here so the audit page can filter by them.</summary>
public static class AuditActions
{
    public const string SignInSucceeded = "auth.signin.succeeded";
    public const string SignInFailed = "auth.signin.failed";
    public const string LockedOut = "auth.lockout";
    public const string SignedOut = "auth.signout";
    public const string TokenRejected = "auth.token.rejected";

    public const string UserCreated = "user.created";
    public const string UserLocked = "user.locked";
    public const string UserUnlocked = "user.unlocked";
    public const string UserRolesChanged = "user.roles.changed";

    public const string TokenCreated = "token.created";
    public const string TokenRevoked = "token.revoked";

}
