using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Domain.Text;
using Portal.Web.Features.Account;
using Portal.Web.Features.Tokens;

namespace Portal.Web.Features.Users;

/// <summary>
/// User administration. Each operation runs in its own scope (fresh UserManager and DbContext) and writes its
/// audit entry in the same transaction as the Identity change. Changing roles or locking renews the
/// security stamp, so the user's open sessions end within the revalidation interval, and drops the user's
/// tokens from this node's <see cref="TokenAuthenticationCache"/>.
/// </summary>
public sealed class UserAdministrationService(
    IDbContextFactory<PortalDbContext> dbFactory,
    IServiceScopeFactory scopeFactory,
    AuditTrail audit,
    TokenAuthenticationCache tokenCache,
    TimeProvider time)
{
    public const int MaxEmailLength = EmailAddressRule.MaxLength;

    /// <summary>The lockout end an administrator's lock sets: until unlocked.</summary>
    public static readonly DateTimeOffset AdministratorLockEnd = DateTimeOffset.MaxValue;

    /// <summary>
    /// Whether a lockout end is an administrator's lock rather than the few minutes after failed attempts. Compared by
    /// year, because databases keep fewer fractional digits than <see cref="DateTimeOffset.MaxValue"/> has.
    /// </summary>
    public static bool IsAdministratorLock(DateTimeOffset? lockoutEnd) => lockoutEnd is { } end && end.UtcDateTime.Year == AdministratorLockEnd.Year;

    public async Task<PagedResult<UserRow>> ListAsync(UserQuery query, CancellationToken cancellationToken)
    {
        var (page, pageSize) = PagedResult<UserRow>.Normalize(query.Page, query.PageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var search = query.Search.Trim().ToUpperInvariant();
            users = users.Where(u => u.NormalizedEmail!.Contains(search) || u.DisplayName.ToUpper().Contains(search));
        }

        var total = await users.CountAsync(cancellationToken);
        var rows = await users.OrderBy(u => u.NormalizedEmail)
            .Skip(page * pageSize).Take(pageSize)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.LockoutEnd, u.AccessFailedCount, u.CreatedUtc })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ids.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var byUser = roles.ToLookup(r => r.UserId, r => r.Name!);
        return new PagedResult<UserRow>(
            rows.Select(r => new UserRow(r.Id, r.Email ?? "", r.DisplayName, byUser[r.Id].Order().ToList(), r.LockoutEnd,
                r.AccessFailedCount, r.CreatedUtc)).ToList(),
            total, page, pageSize);
    }

    public async Task<OperationResult<UserRow>> CreateAsync(CreateUserRequest request, AuditActor actor, CancellationToken cancellationToken)
    {
        var email = request.Email?.Trim() ?? "";
        if (EmailAddressRule.Problem(email) is { } emailProblem)
        {
            return Invalid(emailProblem);
        }

        var displayName = string.IsNullOrWhiteSpace(request.DisplayName) ? email.Split('@')[0] : request.DisplayName.Trim();
        if (TextRule.NameProblem("displayName", displayName, PortalUser.MaxDisplayNameLength) is { } displayNameProblem)
        {
            return Invalid(displayNameProblem);
        }

        if (RolesProblem(request.Roles ?? []) is { } rolesProblem)
        {
            return Invalid(rolesProblem);
        }

        var roles = (request.Roles ?? []).Select(r => r!).ToList();
        if (string.IsNullOrEmpty(request.Password))
        {
            return Invalid($"A password is required (at least 12, at most {MaxLengthPasswordValidator.MaxLength} characters).");
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            return OperationResult<UserRow>.Fail(OperationStatus.Conflict, $"A user with the email {email} already exists.");
        }

        var user = new PortalUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            CreatedUtc = time.GetUtcNow().UtcDateTime,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await users.CreateAsync(user, request.Password);
        if (result.Succeeded && roles.Count > 0)
        {
            result = await users.AddToRolesAsync(user, roles);
        }

        if (!result.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            return Invalid(Describe(result));
        }

        audit.Record(db, actor, AuditActions.UserCreated, AuditSubject.User(user.Id), new { email, displayName, roles });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return OperationResult<UserRow>.Ok(new UserRow(user.Id, email, displayName, roles, null, 0, user.CreatedUtc));
    }

    public Task<OperationResult<UserRow>> LockAsync(string userId, AuditActor actor, CancellationToken cancellationToken) =>
        ChangeAsync(userId, actor, cancellationToken, async (users, user) =>
        {
            if (user.Id == actor.Id)
            {
                return "You cannot lock your own account.";
            }

            var result = await users.SetLockoutEnabledAsync(user, true);
            if (result.Succeeded)
            {
                result = await users.SetLockoutEndDateAsync(user, AdministratorLockEnd);
            }

            return result.Succeeded ? null : Describe(result);
        }, AuditActions.UserLocked, _ => new { lockedUntil = "until unlocked" });

    public Task<OperationResult<UserRow>> UnlockAsync(string userId, AuditActor actor, CancellationToken cancellationToken) =>
        ChangeAsync(userId, actor, cancellationToken, async (users, user) =>
        {
            var result = await users.SetLockoutEndDateAsync(user, null);
            if (result.Succeeded)
            {
                result = await users.ResetAccessFailedCountAsync(user);
            }

            return result.Succeeded ? null : Describe(result);
        }, AuditActions.UserUnlocked, _ => null);

    public async Task<OperationResult<UserRow>> SetRolesAsync(string userId, IReadOnlyList<string> roles, AuditActor actor, CancellationToken cancellationToken)
    {
        if (RolesProblem(roles) is { } rolesProblem)
        {
            return Invalid(rolesProblem);
        }

        IReadOnlyList<string> before = [];
        var wanted = roles.Distinct().Order().ToList();
        return await ChangeAsync(userId, actor, cancellationToken, async (users, user) =>
        {
            before = (await users.GetRolesAsync(user)).Order().ToList();
            if (before.Contains(Roles.Administrator) && !wanted.Contains(Roles.Administrator)
                && (await users.GetUsersInRoleAsync(Roles.Administrator)).Count <= 1)
            {
                return "This is the last administrator: give another user the Administrator role first.";
            }

            var result = await users.RemoveFromRolesAsync(user, before.Except(wanted));
            if (result.Succeeded)
            {
                result = await users.AddToRolesAsync(user, wanted.Except(before));
            }

            return result.Succeeded ? null : Describe(result);
        }, AuditActions.UserRolesChanged, _ => new { before, after = wanted });
    }

    private async Task<OperationResult<UserRow>> ChangeAsync(
        string userId, AuditActor actor, CancellationToken cancellationToken,
        Func<UserManager<PortalUser>, PortalUser, Task<string?>> change, AuditAction action, Func<PortalUser, object?> details)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return OperationResult<UserRow>.Fail(OperationStatus.NotFound, "No such user.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var error = await change(users, user);
        if (error is null)
        {
            var stamp = await users.UpdateSecurityStampAsync(user);
            error = stamp.Succeeded ? null : Describe(stamp);
        }

        if (error is not null)
        {
            await transaction.RollbackAsync(cancellationToken);
            return Invalid(error);
        }

        audit.Record(db, actor, action, AuditSubject.User(user.Id), AddEmail(user, details(user)));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        tokenCache.ForgetUser(user.Id);
        var roles = (await users.GetRolesAsync(user)).Order().ToList();
        return OperationResult<UserRow>.Ok(new UserRow(user.Id, user.Email ?? "", user.DisplayName, roles, user.LockoutEnd,
            user.AccessFailedCount, user.CreatedUtc));
    }

    /// <summary>What is wrong with a list of role names (the field is <c>roles</c> in the API), or null.</summary>
    public static string? RolesProblem(IReadOnlyList<string?> roles)
    {
        for (var i = 0; i < roles.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(roles[i]))
            {
                return $"roles[{i}] is null or empty: give role names, from {string.Join(", ", Roles.All)}.";
            }

            if (!Roles.IsKnown(roles[i]!))
            {
                return $"Unknown role '{roles[i]}' (roles[{i}]). Roles are: {string.Join(", ", Roles.All)}.";
            }

            if (roles.Take(i).Contains(roles[i]))
            {
                return $"The role '{roles[i]}' is listed twice (roles[{i}]): list each role once.";
            }
        }

        return null;
    }

    private static object AddEmail(PortalUser user, object? details) =>
        details is null ? new { email = user.Email } : new { email = user.Email, change = details };

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));

    private static OperationResult<UserRow> Invalid(string error) => OperationResult<UserRow>.Fail(OperationStatus.Invalid, error);
}
