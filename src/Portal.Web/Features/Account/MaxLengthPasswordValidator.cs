using Microsoft.AspNetCore.Identity;
using Portal.Data.Identity;

namespace Portal.Web.Features.Account;

/// <summary>
/// Refuses passwords longer than <see cref="MaxLength"/> characters wherever Identity sets one (API, dialog, CLI,
/// seeding): a pass-phrase fits, a megabyte of text sent to be hashed does not.
/// </summary>
public sealed class MaxLengthPasswordValidator : IPasswordValidator<PortalUser>
{
    public const int MaxLength = 128;

    public Task<IdentityResult> ValidateAsync(UserManager<PortalUser> manager, PortalUser user, string? password) =>
        Task.FromResult(password is { Length: > MaxLength }
            ? IdentityResult.Failed(new IdentityError
            {
                Code = "PasswordTooLong",
                Description = $"A password has at most {MaxLength} characters.",
            })
            : IdentityResult.Success);
}
