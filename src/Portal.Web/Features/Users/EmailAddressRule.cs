using System.ComponentModel.DataAnnotations;

namespace Portal.Web.Features.Users;

/// <summary>
/// The one rule for a new user's email address, used by <c>POST /api/users</c>, the create-user dialog and the
/// <c>user create</c> command (all through <see cref="UserAdministrationService.CreateAsync"/>; the dialog also
/// validates with it as you type): at most <see cref="MaxLength"/> characters, one <c>@</c> with something before it,
/// and a domain of dot-separated labels (at least two, none empty), so <c>a@b</c> is refused.
/// </summary>
public static class EmailAddressRule
{
    public const int MaxLength = 256;

    /// <summary>What is wrong with <paramref name="email"/> (already trimmed), or null when it is acceptable.</summary>
    public static string? Problem(string? email)
    {
        if (string.IsNullOrEmpty(email))
        {
            return "Enter an email address.";
        }

        if (email.Length > MaxLength)
        {
            return $"An email address has at most {MaxLength} characters.";
        }

        var at = email.LastIndexOf('@');
        var domain = at < 0 ? "" : email[(at + 1)..];
        var labels = domain.Split('.');
        if (!new EmailAddressAttribute().IsValid(email) || labels.Length < 2 || labels.Any(l => l.Length == 0)
            || domain.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "Enter an email address like name@example.com (the part after @ needs a dot, as in example.com).";
        }

        return null;
    }
}
