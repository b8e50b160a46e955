namespace Portal.Domain.Datasets;

/// <summary>Everything the analyzer learns about one column in a single pass, in memory bounded by the options.</summary>
internal sealed class ColumnAccumulator
{
    private readonly int _ordinal;
    private readonly string _name;
    private readonly DatasetAnalyzerOptions _options;
    private readonly DistinctCounter _distinct;
    private readonly FrequentValues _frequent;
    private readonly ReservoirSample<string> _personalDataSample;
    private ReservoirSample<double>? _numbers;
    private long _count;
    private long _missing;
    private bool _allBoolean = true;
    private bool _allNumeric = true;
    private bool _allDates = true;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;
    private double _mean;
    private double _sumOfSquaredDeviations;
    private DateTime _minDate = DateTime.MaxValue;
    private DateTime _maxDate = DateTime.MinValue;

    public ColumnAccumulator(int ordinal, string name, DatasetAnalyzerOptions options)
    {
        _ordinal = ordinal;
        _name = name;
        _options = options;
        _distinct = new DistinctCounter(options.DistinctExactCap);
        _frequent = new FrequentValues(options.TrackedValueCap, options.MaxValueLength);
        _personalDataSample = new ReservoirSample<string>(options.PersonalDataSampleSize, options.Seed + ordinal);
        _numbers = new ReservoirSample<double>(options.NumericSampleSize, options.Seed - ordinal);
    }

    public void Add(string raw)
    {
        if (CellValues.IsMissing(raw))
        {
            _missing++;
            return;
        }

        var value = raw.Trim();
        _count++;
        _distinct.Add(value);
        _frequent.Add(value);
        _personalDataSample.Add(value.Length > _options.MaxValueLength ? value[.._options.MaxValueLength] : value);

        _allBoolean = _allBoolean && CellValues.TryParseBoolean(value, out _);

        if (_allNumeric)
        {
            if (CellValues.TryParseNumber(value, out var number))
            {
                AddNumber(number);
            }
            else
            {
                _allNumeric = false;
                _numbers = null;
            }
        }

        if (_allDates)
        {
            if (CellValues.TryParseDate(value, out var date))
            {
                _minDate = date < _minDate ? date : _minDate;
                _maxDate = date > _maxDate ? date : _maxDate;
            }
            else
            {
                _allDates = false;
            }
        }
    }

    public ColumnProfile Build(PersonalDataDetector detector)
    {
        var distinct = _distinct.Count();
        var type = InferType(distinct);
        var schema = new ColumnSchema(_ordinal, _name, type);
        var numeric = type == ColumnType.Numeric ? BuildNumericSummary() : null;
        var dates = type == ColumnType.Date ? new DateRange(_minDate, _maxDate) : null;
        var showsTopValues = type is ColumnType.Categorical or ColumnType.Boolean or ColumnType.Text;
        var topValues = showsTopValues ? _frequent.Top(_options.TopValueCount) : [];
        var suspicion = detector.Inspect(_name, _personalDataSample.Items);

        return new ColumnProfile(schema, _count, _missing, distinct, _distinct.IsEstimate, numeric, dates, topValues,
            showsTopValues && _frequent.IsApproximate, suspicion);
    }

    private void AddNumber(double number)
    {
        // Welford's online mean and variance: numerically stable in one pass.
        var n = _numbers!.Seen + 1;
        var delta = number - _mean;
        _mean += delta / n;
        _sumOfSquaredDeviations += delta * (number - _mean);
        _min = Math.Min(_min, number);
        _max = Math.Max(_max, number);
        _numbers.Add(number);
    }

    private ColumnType InferType(long distinct)
    {
        if (_count == 0)
        {
            return ColumnType.Text;
        }

        if (_allBoolean)
        {
            return ColumnType.Boolean;
        }

        if (_allNumeric)
        {
            return ColumnType.Numeric;
        }

        if (_allDates)
        {
            return ColumnType.Date;
        }

        var fewDistinct = distinct <= _options.CategoricalMaxDistinct && distinct * 2 <= _count;
        var smallShare = distinct <= _options.CategoricalMaxDistinctShare * _count;
        return fewDistinct || smallShare ? ColumnType.Categorical : ColumnType.Text;
    }

    private NumericSummary BuildNumericSummary()
    {
        var sample = _numbers!;
        var n = sample.Seen;
        var sorted = sample.Items.Order().ToArray();
        var standardDeviation = n > 1 ? Math.Sqrt(_sumOfSquaredDeviations / (n - 1)) : 0;
        var quantiles = new NumericQuantiles(
            Quantile(sorted, 0.05), Quantile(sorted, 0.25), Quantile(sorted, 0.50), Quantile(sorted, 0.75), Quantile(sorted, 0.95));

        return new NumericSummary(_min, _max, _mean, standardDeviation, quantiles, BuildHistogram(sorted, n),
            !sample.IsComplete, sorted.Length);
    }

    private static double Quantile(double[] sorted, double p) => Statistics.Quantiles.Of(sorted, p);

    private List<HistogramBin> BuildHistogram(double[] sorted, long total)
    {
        if (_min == _max)
        {
            return [new HistogramBin(_min, _max, total)];
        }

        var bins = _options.HistogramBins;
        var width = (_max - _min) / bins;
        var counts = new long[bins];
        foreach (var value in sorted)
        {
            var index = (int)((value - _min) / width);
            counts[Math.Clamp(index, 0, bins - 1)]++;
        }

        // A sampled histogram is scaled up so the bars add up to (about) the column's count.
        var scale = (double)total / sorted.Length;
        return [.. Enumerable.Range(0, bins).Select(i => new HistogramBin(
            _min + (i * width),
            i == bins - 1 ? _max : _min + ((i + 1) * width),
            (long)Math.Round(counts[i] * scale)))];
    }
}
