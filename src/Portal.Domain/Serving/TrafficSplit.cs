using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Portal.Domain.Rollouts;

namespace Portal.Domain.Serving;

/// <summary>
/// Which arm of a staged rollout answers a request. With a routing key (a customer id, say) the choice is a hash of the
/// rollout and the key: the same customer sees the same version for the whole step, on every node, with no shared state;
/// raising the canary's share only moves customers from champion to canary, never back. Without a key, each request
/// draws at random.
/// </summary>
public static class TrafficSplit
{
    /// <summary>The split's resolution: shares are whole percents, buckets are hundredths of a percent.</summary>
    public const int Buckets = 10_000;

    public static ServingArm Choose(RolloutId rollout, string? routingKey, int canaryPercent)
    {
        if (canaryPercent <= 0)
        {
            return ServingArm.Champion;
        }

        if (canaryPercent >= 100)
        {
            return ServingArm.Canary;
        }

        var bucket = routingKey is null ? Random.Shared.Next(Buckets) : Bucket(rollout, routingKey);
        return bucket < canaryPercent * (Buckets / 100) ? ServingArm.Canary : ServingArm.Champion;
    }

    /// <summary>The key's bucket in [0, <see cref="Buckets"/>) for this rollout: SHA-256 of the rollout id and the key.</summary>
    public static int Bucket(RolloutId rollout, string routingKey)
    {
        ArgumentNullException.ThrowIfNull(routingKey);
        var keyBytes = Encoding.UTF8.GetByteCount(routingKey);
        var buffer = keyBytes <= 512 ? stackalloc byte[16 + keyBytes] : new byte[16 + keyBytes];
        rollout.Value.TryWriteBytes(buffer, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(routingKey, buffer[16..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer, hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % Buckets);
    }
}
