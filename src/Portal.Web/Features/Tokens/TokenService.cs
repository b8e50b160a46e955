using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Domain.Text;

namespace Portal.Web.Features.Tokens;

/// <summary>Personal API tokens: issue (secret shown once, hash stored), list, revoke, and authenticate a request.</summary>
public sealed class TokenService(
    IDbContextFactory<PortalDbContext> dbFactory,
    AuditTrail audit,
    TokenAuthenticationCache cache,
    TimeProvider time,
    ILogger<TokenService> logger)
{
    public const int DefaultLifetimeDays = 30;

    /// <summary>Why a lifetime is refused (the dialog and the API say the same); null when it is allowed. Never clamped.</summary>
    public static string? LifetimeProblem(int days) =>
        days is < 1 or > ApiToken.MaxLifetimeDays ? $"A token lives 1 to {ApiToken.MaxLifetimeDays} days." : null;
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<OperationResult<CreatedToken>> CreateAsync(
        string userId, CreateTokenRequest request, AuditActor actor, CancellationToken cancellationToken)
    {
        var name = request.Name?.Trim() ?? "";
        if (TextRule.NameProblem("name", name, ApiToken.MaxNameLength) is { } nameProblem)
        {
            return OperationResult<CreatedToken>.Fail(OperationStatus.Invalid, $"Give the token a name: {nameProblem}");
        }

        if (!ApiScopes.TryParse(string.Join(',', request.Scopes ?? []), out var scopes, out var scopeError))
        {
            return OperationResult<CreatedToken>.Fail(OperationStatus.Invalid, scopeError!);
        }

        var days = request.Days ?? DefaultLifetimeDays;
        if (LifetimeProblem(days) is { } lifetimeProblem)
        {
            return OperationResult<CreatedToken>.Fail(OperationStatus.Invalid, lifetimeProblem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Id, u.Email }).FirstOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return OperationResult<CreatedToken>.Fail(OperationStatus.NotFound, "No such user.");
        }

        var (token, secret) = ApiToken.Issue(userId, name, scopes, days, time.GetUtcNow());
        db.ApiTokens.Add(token);
        audit.Record(db, actor, AuditActions.TokenCreated, AuditSubject.ApiToken(token.Id), new
        {
            owner = user.Email,
            token.Name,
            token.DisplayPrefix,
            scopes = token.ScopeList,
            token.ExpiresUtc,
        });
        await db.SaveChangesAsync(cancellationToken);
        return OperationResult<CreatedToken>.Ok(new CreatedToken(token.Id, token.Name, secret, token.ScopeList, token.ExpiresUtc));
    }

    /// <summary>Tokens of one user, or of everyone when <paramref name="userId"/> is null (administrators).</summary>
    public async Task<IReadOnlyList<TokenRow>> ListAsync(string? userId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = from t in db.ApiTokens.AsNoTracking()
                    join u in db.Users on t.UserId equals u.Id
                    where userId == null || t.UserId == userId
                    orderby t.CreatedUtc descending
                    select new { t.Id, t.UserId, u.Email, t.Name, t.DisplayPrefix, t.Scopes, t.CreatedUtc, t.ExpiresUtc, t.RevokedUtc, t.LastUsedUtc };
        var rows = await query.Take(500).ToListAsync(cancellationToken);
        return rows.Select(r => new TokenRow(r.Id, r.UserId, r.Email ?? "", r.Name, r.DisplayPrefix,
            r.Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries), r.CreatedUtc, r.ExpiresUtc, r.RevokedUtc, r.LastUsedUtc)).ToList();
    }

    /// <summary>Revokes a token. Its owner may; an administrator may revoke anyone's.</summary>
    public async Task<OperationResult<TokenRow>> RevokeAsync(Guid tokenId, ClaimsPrincipal requester, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        var isAdministrator = requester.IsInRole(Roles.Administrator);
        if (token is null || (token.UserId != requester.UserId() && !isAdministrator))
        {
            // Someone else's token is reported as absent: its existence is not theirs to learn.
            return OperationResult<TokenRow>.Fail(OperationStatus.NotFound, "No such token.");
        }

        if (token.IsRevoked)
        {
            return OperationResult<TokenRow>.Fail(OperationStatus.Conflict, "This token is already revoked.");
        }

        token.Revoke(time.GetUtcNow());
        audit.Record(db, requester.ToAuditActor(), AuditActions.TokenRevoked, AuditSubject.ApiToken(token.Id),
            new { token.Name, token.DisplayPrefix, ownerId = token.UserId });
        await db.SaveChangesAsync(cancellationToken);
        cache.ForgetToken(token.Id);
        return OperationResult<TokenRow>.Ok(new TokenRow(token.Id, token.UserId, "", token.Name, token.DisplayPrefix,
            token.ScopeList, token.CreatedUtc, token.ExpiresUtc, token.RevokedUtc, token.LastUsedUtc));
    }

    /// <summary>
    /// Whether a token still admits its holder now: not revoked or expired, its owner not locked out and still in
    /// one of <paramref name="roles"/>. For connections that outlive the request that authenticated them.
    /// </summary>
    public async Task<bool> StillAdmitsAsync(Guid tokenId, IReadOnlyCollection<string> roles, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await WithOwner(db, db.ApiTokens.AsNoTracking().Where(t => t.Id == tokenId)).FirstOrDefaultAsync(cancellationToken);
        return found is not null && RejectionReason(found, now) is null && found.Roles.Any(r => r is not null && roles.Contains(r));
    }

    /// <summary>Each token with its owner's names, lockout and current roles, in one round trip.</summary>
    private static IQueryable<TokenOwner> WithOwner(PortalDbContext db, IQueryable<ApiToken> tokens) =>
        from t in tokens
        join u in db.Users on t.UserId equals u.Id
        select new TokenOwner(
            t,
            u.UserName,
            u.Email,
            u.LockoutEnabled,
            u.LockoutEnd,
            (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == u.Id select r.Name).ToList());

    /// <summary>Why a token admits nobody now, or null when it is valid.</summary>
    private static string? RejectionReason(TokenOwner found, DateTimeOffset now) =>
        found.Token.IsRevoked ? "The token has been revoked."
        : found.Token.IsExpired(now) ? "The token has expired."
        : found.LockoutEnabled && found.LockoutEnd > now ? "The token's user is locked out."
        : null;

    private sealed record TokenOwner(ApiToken Token, string? UserName, string? Email, bool LockoutEnabled, DateTimeOffset? LockoutEnd, List<string?> Roles);

    /// <summary>Checks a presented secret; on success returns the owner's current principal and the token.</summary>
    public async Task<OperationResult<(ClaimsPrincipal Principal, ApiToken Token)>> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        static OperationResult<(ClaimsPrincipal, ApiToken)> Reject(string reason) =>
            OperationResult<(ClaimsPrincipal, ApiToken)>.Fail(OperationStatus.Invalid, reason);

        if (!secret.StartsWith(ApiToken.SecretPrefix, StringComparison.Ordinal) || secret.Length > 200)
        {
            return Reject("The bearer token is not a Portal API token.");
        }

        var now = time.GetUtcNow();
        var hash = ApiToken.HashSecret(secret);
        if (cache.TryGet(hash, out var cached) && Admits(cached, now))
        {
            return OperationResult<(ClaimsPrincipal, ApiToken)>.Ok((Principal(cached), cached.Token));
        }

        var generation = cache.Generation;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One round trip for the token, its owner and the owner's current roles: this runs on every API call the cache misses.
        var found = await WithOwner(db, db.ApiTokens.Where(t => t.SecretHash == hash)).FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            logger.LogWarning("Rejected an unknown API token with prefix {Prefix}.", secret[..Math.Min(10, secret.Length)]);
            return Reject("The token is not recognised.");
        }

        var token = found.Token;
        var reason = RejectionReason(found, now);
        if (reason is not null)
        {
            audit.Record(db, AuditActor.Anonymous(token.DisplayPrefix), AuditActions.TokenRejected, AuditSubject.ApiToken(token.Id),
                new { reason, ownerId = token.UserId });
            await db.SaveChangesAsync(cancellationToken);
            return Reject(reason);
        }

        if (token.LastUsedUtc is null || now.UtcDateTime - token.LastUsedUtc > LastUsedResolution)
        {
            token.MarkUsed(now);
            await db.SaveChangesAsync(cancellationToken);
        }

        var authentication = new CachedAuthentication(token, found.UserName, found.Email, found.LockoutEnabled, found.LockoutEnd,
            [.. found.Roles.OfType<string>()]);
        cache.Store(hash, authentication, generation);
        return OperationResult<(ClaimsPrincipal, ApiToken)>.Ok((Principal(authentication), token));
    }

    /// <summary>A cached success still admits now unless the token expired or the owner's lockout (as read) began since.</summary>
    private static bool Admits(CachedAuthentication cached, DateTimeOffset now) =>
        !cached.Token.IsExpired(now) && !(cached.LockoutEnabled && cached.LockoutEnd > now);

    /// <summary>A fresh principal per request: the handler adds this request's claims to it.</summary>
    private static ClaimsPrincipal Principal(CachedAuthentication found)
    {
        Claim[] claims =
        [
            new(ClaimTypes.NameIdentifier, found.Token.UserId),
            new(ClaimTypes.Name, found.UserName ?? ""),
            new(ClaimTypes.Email, found.Email ?? ""),
            .. found.Roles.Select(role => new Claim(ClaimTypes.Role, role)),
        ];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Security.ApiTokenAuthenticationHandler.SchemeName, ClaimTypes.Name, ClaimTypes.Role));
    }
}
