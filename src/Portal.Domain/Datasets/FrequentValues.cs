namespace Portal.Domain.Datasets;

/// <summary>
/// Value counts, exact while at most <c>capacity</c> distinct values have been seen; beyond that a
/// Misra–Gries summary (counts become lower bounds, the heavy hitters survive). Long values are truncated.
/// </summary>
internal sealed class FrequentValues(int capacity, int maxValueLength)
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public bool IsApproximate { get; private set; }

    public void Add(string value)
    {
        var key = value.Length > maxValueLength ? string.Concat(value.AsSpan(0, maxValueLength), "…") : value;
        if (_counts.TryGetValue(key, out var count))
        {
            _counts[key] = count + 1;
            return;
        }

        if (_counts.Count < capacity)
        {
            _counts[key] = 1;
            return;
        }

        // Misra–Gries: the newcomer and every tracked value each lose one; zeros are dropped.
        IsApproximate = true;
        foreach (var tracked in _counts.Keys.ToList())
        {
            var left = _counts[tracked] - 1;
            if (left == 0)
            {
                _counts.Remove(tracked);
            }
            else
            {
                _counts[tracked] = left;
            }
        }
    }

    public IReadOnlyList<ValueCount> Top(int count) =>
        [.. _counts
            .OrderByDescending(pair => pair.Value)
            .ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Take(count)
            .Select(pair => new ValueCount(pair.Key, pair.Value))];
}
