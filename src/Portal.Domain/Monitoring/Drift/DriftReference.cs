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
    private readonly int[] bucketStart;
    private readonly double bucketOrigin;
    private readonly double bucketWidth;

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

        (bucketStart, bucketOrigin, bucketWidth) = BuildBuckets(distinct);
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
    public int CategoryIndex(string category) => categoryIndex.GetValueOrDefault(category, -1);

    public bool IsKnownCategory(string category) => categoryIndex.ContainsKey(category);

    internal double[] DistinctArray => (double[])DistinctValues;

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
    /// The index of the first distinct value ≥ x. A table of buckets over the value range narrows the binary search to a
    /// few entries: the bucket function is monotone, so values in earlier buckets are below x and in later ones above it.
    /// </summary>
    internal int LowerBound(double x)
    {
        var values = DistinctArray;
        int lo = 0, hi = values.Length;
        if (bucketStart.Length > 0)
        {
            var b = Bucket(x, bucketOrigin, bucketWidth, bucketStart.Length - 1);
            lo = bucketStart[b];
            hi = bucketStart[b + 1];
        }

        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (values[mid] < x)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static int Bucket(double x, double origin, double width, int buckets)
    {
        var t = (x - origin) / width;
        return t < 0 ? 0 : t >= buckets ? buckets - 1 : (int)t;
    }

    private static (int[] Start, double Origin, double Width) BuildBuckets(double[] distinct)
    {
        if (distinct.Length < 64 || !double.IsFinite(distinct[0]) || !double.IsFinite(distinct[^1]))
        {
            return ([], 0, 0);
        }

        var width = (distinct[^1] - distinct[0]) / Math.Min(MaxBuckets, 2 * distinct.Length);
        if (!(width > 0) || !double.IsFinite(width))
        {
            return ([], 0, 0);
        }

        var buckets = Math.Min(MaxBuckets, 2 * distinct.Length);
        var start = new int[buckets + 1];
        var i = 0;
        for (var b = 0; b <= buckets; b++)
        {
            while (i < distinct.Length && Bucket(distinct[i], distinct[0], width, buckets) < b)
            {
                i++;
            }

            start[b] = i;
        }

        return (start, distinct[0], width);
    }
}
