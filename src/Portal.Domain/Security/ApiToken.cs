using System.Security.Cryptography;
using System.Text;

namespace Portal.Domain.Security;

/// <summary>
/// A personal API token. The secret is shown once at creation; only its SHA-256 hash is stored (a token has
/// 256 bits of entropy, so a fast hash is safe and lets a request be authenticated with one indexed look-up).
/// </summary>
public sealed class ApiToken
{
    public const string SecretPrefix = "ptl_";
    public const int MaxNameLength = 100;
    public const int MaxLifetimeDays = 365;

    private ApiToken()
    {
    }

    public Guid Id { get; private set; }

    public string UserId { get; private set; } = "";

    public string Name { get; private set; } = "";

    /// <summary>The first characters of the secret, so people can tell their tokens apart.</summary>
    public string DisplayPrefix { get; private set; } = "";

    public string SecretHash { get; private set; } = "";

    /// <summary>Comma-separated scopes, in <see cref="ApiScopes.All"/> order.</summary>
    public string Scopes { get; private set; } = "";

    public DateTime CreatedUtc { get; private set; }

    public DateTime ExpiresUtc { get; private set; }

    public DateTime? RevokedUtc { get; private set; }

    public DateTime? LastUsedUtc { get; private set; }

    public IReadOnlyList<string> ScopeList => Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static (ApiToken Token, string Secret) Issue(
        string userId, string name, IReadOnlyList<string> scopes, int lifetimeDays, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            throw new ArgumentException($"A token needs a name of 1 to {MaxNameLength} characters.", nameof(name));
        }

        if (lifetimeDays is < 1 or > MaxLifetimeDays)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetimeDays), $"A token lives 1 to {MaxLifetimeDays} days.");
        }

        if (scopes.Count == 0 || scopes.Any(s => !ApiScopes.All.Contains(s)))
        {
            throw new ArgumentException("Scopes must be a non-empty subset of read, write, predict.", nameof(scopes));
        }

        var secret = SecretPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var token = new ApiToken
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            Name = name.Trim(),
            DisplayPrefix = secret[..10],
            SecretHash = HashSecret(secret),
            Scopes = string.Join(',', ApiScopes.All.Where(scopes.Contains)),
            CreatedUtc = now.UtcDateTime,
            ExpiresUtc = now.UtcDateTime.AddDays(lifetimeDays),
        };
        return (token, secret);
    }

    public static string HashSecret(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public bool IsExpired(DateTimeOffset now) => now.UtcDateTime >= ExpiresUtc;

    public bool IsRevoked => RevokedUtc is not null;

    public bool IsActive(DateTimeOffset now) => !IsRevoked && !IsExpired(now);

    public bool HasScope(string scope) => ScopeList.Contains(scope, StringComparer.Ordinal);

    public void Revoke(DateTimeOffset now)
    {
        if (RevokedUtc is not null)
        {
            throw new InvalidOperationException("This token is already revoked.");
        }

        RevokedUtc = now.UtcDateTime;
    }

    public void MarkUsed(DateTimeOffset now) => LastUsedUtc = now.UtcDateTime;

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
