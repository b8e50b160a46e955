using System.Numerics;

namespace Portal.Domain.Datasets;

/// <summary>
/// Counts distinct values exactly (by 64-bit hash) up to a cap, then switches to a HyperLogLog sketch
/// (2^14 registers, about 0.8% standard error) fed with everything seen so far. Memory is bounded either way.
/// </summary>
internal sealed class DistinctCounter(int exactCap)
{
    private const int Precision = 14;
    private const int RegisterCount = 1 << Precision;

    private HashSet<ulong>? _exact = [];
    private byte[]? _registers;

    public bool IsEstimate => _registers is not null;

    public void Add(string value)
    {
        var hash = Hash(value);
        if (_exact is not null)
        {
            _exact.Add(hash);
            if (_exact.Count <= exactCap)
            {
                return;
            }

            _registers = new byte[RegisterCount];
            foreach (var seen in _exact)
            {
                AddToSketch(seen);
            }

            _exact = null;
            return;
        }

        AddToSketch(hash);
    }

    public long Count()
    {
        if (_exact is not null)
        {
            return _exact.Count;
        }

        double sum = 0;
        var zeros = 0;
        foreach (var register in _registers!)
        {
            sum += Math.Pow(2, -register);
            if (register == 0)
            {
                zeros++;
            }
        }

        const double m = RegisterCount;
        var alpha = 0.7213 / (1 + (1.079 / m));
        var estimate = alpha * m * m / sum;
        if (estimate <= 2.5 * m && zeros > 0)
        {
            estimate = m * Math.Log(m / zeros);
        }

        return (long)Math.Round(estimate);
    }

    /// <summary>FNV-1a over the UTF-16 code units, finished with the SplitMix64 mixer: stable across processes, unlike string.GetHashCode.</summary>
    internal static ulong Hash(string value)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebUL;
        hash ^= hash >> 31;
        return hash;
    }

    private void AddToSketch(ulong hash)
    {
        var index = (int)(hash >> (64 - Precision));
        var rest = (hash << Precision) | (1UL << (Precision - 1));
        var rank = (byte)(BitOperations.LeadingZeroCount(rest) + 1);
        if (rank > _registers![index])
        {
            _registers[index] = rank;
        }
    }
}
