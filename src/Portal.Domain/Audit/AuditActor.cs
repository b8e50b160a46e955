using System.Globalization;
using System.Text;

namespace Portal.Domain.Audit;

/// <summary>The actor of an audit entry. <see cref="Id"/> is a user id or a service name; <see cref="Name"/> is for people to read.</summary>
public sealed record AuditActor(ActorKind Kind, string Id, string Name)
{
    /// <summary>Longest identifier an anonymous request may put into the audit chain (after normalising).</summary>
    public const int MaxClaimedLength = 64;

    /// <summary>Prefix of the name of an anonymous actor whose identifier nobody verified (a failed sign-in for an unknown address).</summary>
    public const string UnverifiedPrefix = "unverified:";

    public static AuditActor User(string userId, string userName) => new(ActorKind.User, userId, userName);

    public static AuditActor Service(string serviceName) => new(ActorKind.Service, serviceName, serviceName);

    /// <summary>Someone not signed in, named by something the portal issued and recognised (a rejected token's prefix).
    /// What an anonymous caller merely typed goes through <see cref="Unverified"/> instead.</summary>
    public static AuditActor Anonymous(string recognisedName) => new(ActorKind.Anonymous, "", recognisedName);

    /// <summary>
    /// Someone not signed in who claimed an identifier that matches nobody (a failed sign-in for an unknown email):
    /// stored normalised and truncated (<see cref="NormaliseClaimed"/>) after <see cref="UnverifiedPrefix"/>, so nobody
    /// reading the trail takes it for a user.
    /// </summary>
    public static AuditActor Unverified(string claimedIdentifier) =>
        new(ActorKind.Anonymous, "", UnverifiedPrefix + NormaliseClaimed(claimedIdentifier));

    /// <summary>
    /// Trimmed, lower-case (invariant), without control, format (bidi overrides, zero-width) or line/paragraph separator
    /// characters, and at most <see cref="MaxClaimedLength"/> characters (never splitting a surrogate pair).
    /// </summary>
    public static string NormaliseClaimed(string? claimed)
    {
        var kept = new StringBuilder(Math.Min(claimed?.Length ?? 0, MaxClaimedLength * 2));
        foreach (var c in claimed ?? "")
        {
            var category = char.GetUnicodeCategory(c);
            if (category is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.OtherNotAssigned))
            {
                kept.Append(c);
            }

            if (kept.Length > MaxClaimedLength * 4)
            {
                break;
            }
        }

        var text = kept.ToString().Trim().ToLowerInvariant();
        if (text.Length > MaxClaimedLength)
        {
            var cut = char.IsHighSurrogate(text[MaxClaimedLength - 1]) ? MaxClaimedLength - 1 : MaxClaimedLength;
            text = text[..cut];
        }

        return text;
    }
}
