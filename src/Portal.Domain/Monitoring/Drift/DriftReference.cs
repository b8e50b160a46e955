namespace Portal.Domain.Monitoring.Drift;

/// <summary>
/// The training data a model version's live inputs are compared with, prepared once so that every window is compared
/// quickly: per numeric feature its distinct sorted values with cumulative counts (for the KS statistic), its PSI bin
/// edges and counts and its range; per categorical feature its categories with counts. Immutable and safe to share
/// between threads and windows (cache it per model version).
/// </summary>
public sealed class DriftReference
{
    private readonly Dictionary<string, ReferenceFeature> byName;

    private DriftReference(long rows, IReadOnlyList<ReferenceFeature> features)
    {
        Rows = rows;
        Features = features;
        byName = features.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    /// <summary>Rows of the reference (missing values included).</summary>
    public long Rows { get; }

    /// <summary>One entry per feature, in the order given to <see cref="Build"/> (the signature's order).</summary>
    public IReadOnlyList<ReferenceFeature> Features { get; }

    public ReferenceFeature? Find(string name) => byName.GetValueOrDefault(name);

    /// <summary>Prepares the reference from the training rows, column by column (features built in parallel).</summary>
    public static DriftReference Build(IReadOnlyList<FeatureColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != columns.Count)
        {
            throw new ArgumentException("Each feature appears once in the reference.", nameof(columns));
        }

        var features = new ReferenceFeature[columns.Count];
        Parallel.For(0, columns.Count, i => features[i] = ReferenceFeature.Build(columns[i]));
        var rows = columns.Count == 0 ? 0 : columns.Max(c => c.Rows);
        return new DriftReference(rows, features);
    }
}

/// <summary>One feature of a <see cref="DriftReference"/>.</summary>
public sealed class ReferenceFeature
{
    private const int MaxBuckets = 1 << 16;
    private readonly Dictionary<string, int> categoryIndex;
    private readonly double[] distinct;
    private readonly double[] edges;
    private readonly int[] bucketStart;
    private readonly double bucketOrigin;
    private readonly double bucketScale;
    private readonly int[] slotBin;

    private ReferenceFeature(string name, FeatureKind kind, long count, long missing, double[] distinct, long[] cumulative, double[] edges,
        long[] binCounts, string[] categories, long[] categoryCounts)
    {
        Name = name;
        Kind = kind;
        Count = count;
        Missing = missing;
        DistinctValues = distinct;
        CumulativeCounts = cumulative;
        Edges = edges;
        BinCounts = binCounts;
        Categories = categories;
        CategoryCounts = categoryCounts;
        categoryIndex = new Dictionary<string, int>(categories.Length, StringComparer.Ordinal);
        for (var i = 0; i < categories.Length; i++)
        {
            categoryIndex[categories[i]] = i;
        }

        this.distinct = distinct;
        this.edges = edges;
        (bucketStart, bucketOrigin, bucketScale) = BuildBuckets(distinct);
        slotBin = BuildSlotBins(distinct, edges);
    }

    public string Name { get; }

    public FeatureKind Kind { get; }

    /// <summary>Non-missing values in the reference.</summary>
    public long Count { get; }

    /// <summary>Missing values in the reference.</summary>
    public long Missing { get; }

    /// <summary>Numeric: the distinct values, ascending.</summary>
    public IReadOnlyList<double> DistinctValues { get; }

    /// <summary>Numeric: how many reference values are at or below each distinct value.</summary>
    public IReadOnlyList<long> CumulativeCounts { get; }

    /// <summary>Numeric: the PSI bin edges (<see cref="PopulationStability.Edges"/>).</summary>
    public IReadOnlyList<double> Edges { get; }

    /// <summary>Numeric: reference values per PSI bin (one more than the edges).</summary>
    public IReadOnlyList<long> BinCounts { get; }

    /// <summary>Categorical: the categories seen in training, ordinal order.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>Categorical: reference values per category.</summary>
    public IReadOnlyList<long> CategoryCounts { get; }

    /// <summary>Numeric: the smallest training value (NaN when there is none).</summary>
    public double Minimum => DistinctValues.Count == 0 ? double.NaN : DistinctValues[0];

    /// <summary>Numeric: the largest training value (NaN when there is none).</summary>
    public double Maximum => DistinctValues.Count == 0 ? double.NaN : DistinctValues[^1];

    /// <summary>Categorical: the index of a category seen in training, or −1.</summary>
    /// <summary>
    /// A categorical feature whose values are mostly distinct in the reference (an e-mail address, a customer number): an
    /// identifier, not a distribution. Every live value is new, so a drift test would always fire; it is not compared.
    /// </summary>
    public bool IsIdentifierLike => Kind == FeatureKind.Categorical && Categories.Count > 50 && Categories.Count > Count / 2;

    public int CategoryIndex(string category) => categoryIndex.GetValueOrDefault(category, -1);

    public bool IsKnownCategory(string category) => categoryIndex.ContainsKey(category);

    internal long[] CumulativeArray => (long[])CumulativeCounts;

    internal double[] EdgeArray => (double[])Edges;

    internal long[] BinCountArray => (long[])BinCounts;

    internal long[] CategoryCountArray => (long[])CategoryCounts;

    internal Dictionary<string, int> CategoryLookup => categoryIndex;

    internal static ReferenceFeature Build(FeatureColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (column.Kind == FeatureKind.Numeric)
        {
            var values = column.Numbers.Where(v => !double.IsNaN(v)).ToArray();
            Array.Sort(values);
            var distinct = new List<double>();
            var cumulative = new List<long>();
            for (var i = 0; i < values.Length; i++)
            {
                if (i + 1 == values.Length || values[i + 1] != values[i])
                {
                    distinct.Add(values[i]);
                    cumulative.Add(i + 1);
                }
            }

            var edges = PopulationStability.Edges(values);
            var bins = new long[edges.Length + 1];
            foreach (var v in values)
            {
                bins[PopulationStability.Bin(edges, v)]++;
            }

            return new ReferenceFeature(column.Name, FeatureKind.Numeric, values.Length, column.Numbers.Length - values.Length,
                [.. distinct], [.. cumulative], edges, bins, [], []);
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long missing = 0;
        foreach (var c in column.Categories)
        {
            if (c is null)
            {
                missing++;
                continue;
            }

            counts[c] = counts.GetValueOrDefault(c) + 1;
        }

        var categories = counts.Keys.Order(StringComparer.Ordinal).ToArray();
        return new ReferenceFeature(column.Name, FeatureKind.Categorical, column.Categories.Length - missing, missing, [], [], [], [],
            categories, [.. categories.Select(c => counts[c])]);
    }

    /// <summary>
    /// Counts a window's numeric values (NaN skipped) into slots of the reference's distinct values — slot 2i: strictly
    /// between value i − 1 and value i; slot 2i + 1: equal to value i; slot 2k: above every value — and into the PSI bins.
    /// A table of buckets over the value range narrows each search to a few entries (the bucket function is monotone, so
    /// values in earlier buckets are below x and in later ones above it); a slot's bin is known in advance unless a bin
    /// edge falls strictly inside it. Returns the values counted.
    /// </summary>
    internal long CountWindow(double[] values, long[] slots, long[] bins)
    {
        var sorted = distinct;
        var starts = bucketStart;
        var slotBins = slotBin;
        var edgeArray = edges;
        var origin = bucketOrigin;
        var scale = bucketScale;
        var buckets = starts.Length - 1;
        var useBuckets = buckets > 0;
        long counted = 0;
        foreach (var x in values)
        {
            if (double.IsNaN(x))
            {
                continue;
            }

            counted++;
            int lo = 0, hi = sorted.Length;
            if (useBuckets)
            {
                var t = (x - origin) * scale;
                var b = t < 0 ? 0 : t >= buckets ? buckets - 1 : (int)t;
                lo = starts[b];
                hi = starts[b + 1];
            }

            while (hi - lo > 4)
            {
                var mid = (int)((uint)(lo + hi) >> 1);
                if (sorted[mid] < x)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            while (lo < hi && sorted[lo] < x)
            {
                lo++;
            }

            var slot = 2 * lo;
            if (lo < sorted.Length && sorted[lo] == x)
            {
                slot++;
            }

            slots[slot]++;
            if (slotBins[slot] < 0)
            {
                bins[PopulationStability.Bin(edgeArray, x)]++;
            }
        }

        for (var s = 0; s < slots.Length; s++)
        {
            if (slotBins[s] >= 0)
            {
                bins[slotBins[s]] += slots[s];
            }
        }

        return counted;
    }

    /// <summary>Each slot's PSI bin, or −1 for a gap with a bin edge strictly inside it (its values are binned one by one).</summary>
    private static int[] BuildSlotBins(double[] distinct, double[] edges)
    {
        var k = distinct.Length;
        var bins = new int[(2 * k) + 1];
        for (var i = 0; i <= k; i++)
        {
            var below = i == 0 ? double.NegativeInfinity : distinct[i - 1];
            var above = i == k ? double.PositiveInfinity : distinct[i];
            var edgeInside = edges.Any(e => e > below && e < above);
            bins[2 * i] = edgeInside ? -1 : i == 0 ? 0 : PopulationStability.Bin(edges, below);
            if (i < k)
            {
                bins[(2 * i) + 1] = PopulationStability.Bin(edges, distinct[i]);
            }
        }

        return bins;
    }

    private static int Bucket(double x, double origin, double scale, int buckets)
    {
        var t = (x - origin) * scale;
        return t < 0 ? 0 : t >= buckets ? buckets - 1 : (int)t;
    }

    private static (int[] Start, double Origin, double Scale) BuildBuckets(double[] distinct)
    {
        if (distinct.Length < 64 || !double.IsFinite(distinct[0]) || !double.IsFinite(distinct[^1]))
        {
            return ([], 0, 0);
        }

        var buckets = Math.Min(MaxBuckets, 2 * distinct.Length);
        var scale = buckets / (distinct[^1] - distinct[0]);
        if (!(scale > 0) || !double.IsFinite(scale))
        {
            return ([], 0, 0);
        }

        var start = new int[buckets + 1];
        var i = 0;
        for (var b = 0; b <= buckets; b++)
        {
            while (i < distinct.Length && Bucket(distinct[i], distinct[0], scale, buckets) < b)
            {
                i++;
            }

            start[b] = i;
        }

        return (start, distinct[0], scale);
    }
}
