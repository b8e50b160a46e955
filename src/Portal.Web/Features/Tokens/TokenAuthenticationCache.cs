using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Portal.Domain.Security;
using Portal.Web.Features.Account;

namespace Portal.Web.Features.Tokens;

/// <summary>
/// This node's memory of recent <em>successful</em> token authentications, for <see cref="SecurityOptions.TokenCacheMilliseconds"/>,
/// so that a client calling many times a second (the predict endpoint) is not a database query per request. Refusals are
/// never cached (each is audited). A revocation, lock or role change made on this node drops the affected entries at once
/// (<see cref="ForgetToken"/>, <see cref="ForgetUser"/>); one made on another node reaches this one when the entry ages out,
/// within the TTL. Expiry of the token itself is checked on every hit.
/// </summary>
public sealed class TokenAuthenticationCache(IOptions<SecurityOptions> options, TimeProvider time)
{
    /// <summary>Entries beyond which the cache is emptied rather than grown (many distinct tokens within one TTL).</summary>
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> bySecretHash = new(StringComparer.Ordinal);
    private readonly TimeSpan ttl = TimeSpan.FromMilliseconds(options.Value.TokenCacheMilliseconds);
    private long generation;

    public bool Enabled => ttl > TimeSpan.Zero;

    /// <summary>Taken before reading the database: an entry read before a later <c>Forget</c> is not stored.</summary>
    public long Generation => Interlocked.Read(ref generation);

    public bool TryGet(string secretHash, out CachedAuthentication authentication)
    {
        authentication = default!;
        if (!Enabled || !bySecretHash.TryGetValue(secretHash, out var entry))
        {
            return false;
        }

        if (time.GetTimestamp() >= entry.FreshUntil)
        {
            bySecretHash.TryRemove(new KeyValuePair<string, Entry>(secretHash, entry));
            return false;
        }

        authentication = entry.Authentication;
        return true;
    }

    public void Store(string secretHash, CachedAuthentication authentication, long readAtGeneration)
    {
        if (!Enabled)
        {
            return;
        }

        if (bySecretHash.Count >= MaxEntries)
        {
            bySecretHash.Clear();
        }

        var freshUntil = time.GetTimestamp() + (long)(ttl.TotalSeconds * time.TimestampFrequency);
        bySecretHash[secretHash] = new Entry(authentication, freshUntil);
        if (Generation != readAtGeneration)
        {
            // A revocation, lock or role change happened while this was read: what was read may be stale.
            bySecretHash.TryRemove(secretHash, out _);
        }
    }

    /// <summary>Drops a token (revoked on this node).</summary>
    public void ForgetToken(Guid tokenId) => Forget(entry => entry.Authentication.Token.Id == tokenId);

    /// <summary>Drops every token of a user (locked, unlocked or roles changed on this node).</summary>
    public void ForgetUser(string userId) => Forget(entry => entry.Authentication.Token.UserId == userId);

    private void Forget(Func<Entry, bool> matches)
    {
        Interlocked.Increment(ref generation);
        foreach (var (hash, entry) in bySecretHash)
        {
            if (matches(entry))
            {
                bySecretHash.TryRemove(hash, out _);
            }
        }
    }

    private sealed record Entry(CachedAuthentication Authentication, long FreshUntil);
}

/// <summary>What a successful authentication found: the token and its owner's names, lockout and roles at that moment.</summary>
public sealed record CachedAuthentication(ApiToken Token, string? UserName, string? Email, bool LockoutEnabled, DateTimeOffset? LockoutEnd, IReadOnlyList<string> Roles);
