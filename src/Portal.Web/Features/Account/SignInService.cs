using Microsoft.AspNetCore.Identity;
using Portal.Data.Audit;
using Portal.Data.Identity;
using Portal.Domain.Audit;

namespace Portal.Web.Features.Account;

public enum SignInOutcome
{
    Succeeded,
    Failed,
    LockedOut,
    NotAllowed,
}

/// <summary>Email + password sign-in with lockout, every attempt audited.</summary>
public sealed class SignInService(SignInManager<PortalUser> signInManager, UserManager<PortalUser> userManager, AuditTrail audit)
{
    public async Task<SignInOutcome> PasswordSignInAsync(string email, string password, bool rememberMe, CancellationToken cancellationToken)
    {
        var user = await userManager.FindByEmailAsync(email);
        if (user is null)
        {
            await audit.WriteAsync(AuditActor.Anonymous(email), AuditActions.SignInFailed, AuditSubject.User(""),
                new { email, reason = "unknown user" }, cancellationToken);
            return SignInOutcome.Failed;
        }

        var actor = AuditActor.User(user.Id, user.Email ?? email);
        var subject = AuditSubject.User(user.Id);
        var wasLockedOut = await userManager.IsLockedOutAsync(user);
        var result = await signInManager.PasswordSignInAsync(user, password, rememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await audit.WriteAsync(actor, AuditActions.SignInSucceeded, subject, null, cancellationToken);
            return SignInOutcome.Succeeded;
        }

        if (result.IsLockedOut)
        {
            await audit.WriteAsync(actor, AuditActions.SignInFailed, subject,
                new { reason = wasLockedOut ? "account locked" : "wrong password" }, cancellationToken);
            if (!wasLockedOut)
            {
                var until = await userManager.GetLockoutEndDateAsync(user);
                await audit.WriteAsync(actor, AuditActions.LockedOut, subject,
                    new { failedAttempts = PortalIdentityExtensions.LockoutAttempts, lockedUntilUtc = until?.UtcDateTime }, cancellationToken);
            }

            return SignInOutcome.LockedOut;
        }

        await audit.WriteAsync(actor, AuditActions.SignInFailed, subject,
            new { reason = result.IsNotAllowed ? "not allowed" : "wrong password" }, cancellationToken);
        return result.IsNotAllowed ? SignInOutcome.NotAllowed : SignInOutcome.Failed;
    }

    public async Task SignOutAsync(System.Security.Claims.ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var user = await userManager.GetUserAsync(principal);
        await signInManager.SignOutAsync();
        if (user is not null)
        {
            await audit.WriteAsync(AuditActor.User(user.Id, user.Email ?? ""), AuditActions.SignedOut,
                AuditSubject.User(user.Id), null, cancellationToken);
        }
    }
}
