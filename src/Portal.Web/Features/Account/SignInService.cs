using System.Net;
using Microsoft.AspNetCore.Identity;
using Portal.Data.Audit;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Web.Features.Users;

namespace Portal.Web.Features.Account;

public enum SignInOutcome
{
    Succeeded,
    Failed,
    LockedOut,
    LockedByAdministrator,
    NotAllowed,
    Throttled,
}

/// <summary>What a sign-in attempt came to; <see cref="RetryAfter"/> when <see cref="SignInOutcome.Throttled"/>.</summary>
public sealed record SignInAttempt(SignInOutcome Outcome, TimeSpan? RetryAfter = null);

/// <summary>
/// Email + password sign-in with rate limits, lockout and every admitted attempt audited. An unknown email costs the
/// same password hashing as a known one with a wrong password, so timing does not tell which accounts exist; it is
/// audited as an <see cref="AuditActor.Unverified"/> actor (normalised, truncated), so an anonymous caller cannot
/// write arbitrary text into the chain. Throttled attempts are refused before any work and write nothing.
/// </summary>
public sealed class SignInService(
    SignInManager<PortalUser> signInManager,
    UserManager<PortalUser> userManager,
    IPasswordHasher<PortalUser> passwordHasher,
    SignInThrottle throttle,
    AuditTrail audit,
    TimeProvider time,
    ILogger<SignInService> logger)
{
    /// <summary>A hash of a random password, made by the same hasher (same iterations) as real ones, once per process.</summary>
    private static readonly Lock DummyLock = new();
    private static string? dummyHash;

    public async Task<SignInAttempt> PasswordSignInAsync(
        string email, string password, bool rememberMe, IPAddress? client, CancellationToken cancellationToken)
    {
        var claimed = AuditActor.NormaliseClaimed(email);
        if (throttle.TryAcquire(client, claimed) is { } retryAfter)
        {
            logger.LogWarning("Throttled a sign-in attempt from {Client} for {Account}.", client, claimed);
            return new SignInAttempt(SignInOutcome.Throttled, retryAfter);
        }

        var user = await userManager.FindByEmailAsync(email);
        if (user is null)
        {
            // The same hashing work as a wrong password for a real account.
            passwordHasher.VerifyHashedPassword(new PortalUser(), DummyHash(), password);
            var truncated = claimed.Length < email.Trim().Length;
            await audit.WriteAsync(AuditActor.Unverified(email), AuditActions.SignInFailed, AuditSubject.User(""),
                truncated ? new { reason = "unknown user", identifier = "normalised and truncated" } : new { reason = "unknown user", identifier = "normalised" },
                cancellationToken);
            return new SignInAttempt(SignInOutcome.Failed);
        }

        var actor = AuditActor.User(user.Id, user.Email ?? email);
        var subject = AuditSubject.User(user.Id);
        if (UserAdministrationService.IsAdministratorLock(user.LockoutEnd) && user.LockoutEnd > time.GetUtcNow())
        {
            // Only someone who knows the password learns why: to anyone else it is a wrong password, as for any account.
            var rightPassword = await userManager.CheckPasswordAsync(user, password);
            await audit.WriteAsync(actor, AuditActions.SignInFailed, subject,
                new { reason = rightPassword ? "locked by an administrator" : "wrong password (locked by an administrator)" }, cancellationToken);
            return new SignInAttempt(rightPassword ? SignInOutcome.LockedByAdministrator : SignInOutcome.Failed);
        }

        var wasLockedOut = await userManager.IsLockedOutAsync(user);
        var result = await signInManager.PasswordSignInAsync(user, password, rememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await audit.WriteAsync(actor, AuditActions.SignInSucceeded, subject, null, cancellationToken);
            return new SignInAttempt(SignInOutcome.Succeeded);
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

            return new SignInAttempt(SignInOutcome.LockedOut);
        }

        await audit.WriteAsync(actor, AuditActions.SignInFailed, subject,
            new { reason = result.IsNotAllowed ? "not allowed" : "wrong password" }, cancellationToken);
        return new SignInAttempt(result.IsNotAllowed ? SignInOutcome.NotAllowed : SignInOutcome.Failed);
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

    private string DummyHash()
    {
        lock (DummyLock)
        {
            return dummyHash ??= passwordHasher.HashPassword(new PortalUser(), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
        }
    }
}
