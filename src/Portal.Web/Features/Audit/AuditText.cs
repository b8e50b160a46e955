using Portal.Domain.Audit;

namespace Portal.Web.Features.Audit;

/// <summary>Plain-language names of audited actions for people who do not read event codes.</summary>
public static class AuditText
{
    public static string Describe(string action) => action switch
    {
        AuditActions.SignInSucceeded => "Signed in",
        AuditActions.SignInFailed => "Failed sign-in",
        AuditActions.LockedOut => "Account locked out",
        AuditActions.SignedOut => "Signed out",
        AuditActions.TokenRejected => "API token rejected",
        AuditActions.UserCreated => "User created",
        AuditActions.UserLocked => "User locked",
        AuditActions.UserUnlocked => "User unlocked",
        AuditActions.UserRolesChanged => "Roles changed",
        AuditActions.TokenCreated => "API token created",
        AuditActions.TokenRevoked => "API token revoked",
        _ => action,
    };
}
