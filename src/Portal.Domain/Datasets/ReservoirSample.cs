namespace Portal.Domain.Datasets;

/// <summary>
/// Uniform sample of at most <c>capacity</c> items from a stream of unknown length (Vitter's algorithm R).
/// Seeded, so the same input always gives the same sample.
/// </summary>
internal sealed class ReservoirSample<T>(int capacity, int seed)
{
    private readonly List<T> _items = [];
    private readonly Random _random = new(seed);

    public long Seen { get; private set; }

    public IReadOnlyList<T> Items => _items;

    /// <summary>True when every item seen is in the sample (so statistics over it are exact).</summary>
    public bool IsComplete => Seen == _items.Count;

    public void Add(T item)
    {
        Seen++;
        if (_items.Count < capacity)
        {
            _items.Add(item);
            return;
        }

        var slot = _random.NextInt64(Seen);
        if (slot < capacity)
        {
            _items[(int)slot] = item;
        }
    }
}
