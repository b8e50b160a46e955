namespace Portal.Domain.Monitoring.Drift;

/// <summary>The two-sided two-sample Kolmogorov–Smirnov test's outcome.</summary>
/// <param name="Statistic">D, the largest distance between the two empirical distribution functions.</param>
/// <param name="PValue">Pr(D ≥ observed) when both samples come from one continuous distribution.</param>
/// <param name="Exact">Whether the p-value is the exact finite-sample one (else Smirnov's asymptotic distribution).</param>
public readonly record struct KsResult(double Statistic, double PValue, bool Exact);

/// <summary>
/// The two-sample Kolmogorov–Smirnov test as SciPy 1.10's <c>scipy.stats.ks_2samp(a, b)</c> computes it (alternative
/// two-sided, method 'auto'): the exact p-value (lattice paths; Hodges 1958, with Viehmann's 2021 recursion for 1 − p) when
/// neither sample has more than <see cref="ExactMaxRows"/> values, else <c>kstwo.sf(D, round(m·n/(m+n)))</c>; when the exact
/// computation fails (overflow or a result outside [0, 1]) it falls back to the asymptotic one, as SciPy does. With the exact
/// method SciPy reports D rounded to the lattice (h / lcm(n₁, n₂)), and so does this.
/// </summary>
public static class KolmogorovSmirnov
{
    /// <summary>SciPy's MAX_AUTO_N: 'auto' is exact when max(n₁, n₂) is at most this.</summary>
    public const int ExactMaxRows = 10_000;

    /// <summary>The test on two samples (NaN not allowed; sorting copies).</summary>
    public static KsResult TwoSample(IReadOnlyCollection<double> a, IReadOnlyCollection<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 || b.Count == 0)
        {
            throw new ArgumentException("Both samples need at least one value.");
        }

        var x = a.ToArray();
        var y = b.ToArray();
        Array.Sort(x);
        Array.Sort(y);
        return FromStatistic(Statistic(x, y), x.Length, y.Length);
    }

    /// <summary>
    /// D exactly as SciPy evaluates it: at every data point, cdf₁ − cdf₂ with cdfᵢ = (values ≤ point) / nᵢ, and
    /// D = max(max diff, −min diff). Both arrays sorted ascending.
    /// </summary>
    internal static double Statistic(double[] sortedA, double[] sortedB)
    {
        double n1 = sortedA.Length, n2 = sortedB.Length;
        double max = double.NegativeInfinity, min = double.PositiveInfinity;
        int i = 0, j = 0;
        while (i < sortedA.Length || j < sortedB.Length)
        {
            var point = j >= sortedB.Length || (i < sortedA.Length && sortedA[i] <= sortedB[j]) ? sortedA[i] : sortedB[j];
            while (i < sortedA.Length && sortedA[i] <= point)
            {
                i++;
            }

            while (j < sortedB.Length && sortedB[j] <= point)
            {
                j++;
            }

            var diff = (i / n1) - (j / n2);
            max = Math.Max(max, diff);
            min = Math.Min(min, diff);
        }

        return Combine(max, min);
    }

    /// <summary>SciPy's choice between the two sides: −min clipped to [0, 1] when it exceeds max.</summary>
    internal static double Combine(double maxDiff, double minDiff)
    {
        var minS = Math.Clamp(-minDiff, 0, 1);
        return minS > maxDiff ? minS : maxDiff;
    }

    /// <summary>The p-value of an observed D between samples of n₁ and n₂ values, choosing the method as SciPy's 'auto'.</summary>
    public static KsResult FromStatistic(double d, long n1, long n2)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n2);
        if (Math.Max(n1, n2) <= ExactMaxRows)
        {
            var g = Gcd(n1, n2);
            var lcm = n1 / g * n2;
            var h = (long)Math.Round(d * lcm, MidpointRounding.ToEven);
            d = h * 1.0 / lcm;
            if (h == 0)
            {
                return new KsResult(d, 1.0, true);
            }

            var p = n1 == n2 ? ProbabilityOutsideSquare(n1, h) : ProbabilityOutsideInside(n1, n2, g, h);
            if (double.IsFinite(p) && p is >= 0 and <= 1)
            {
                return new KsResult(d, p, true);
            }
        }

        var (m, n) = n1 >= n2 ? ((double)n1, (double)n2) : (n2, n1);
        var en = m * n / (m + n);
        var prob = KolmogorovDistribution.Survival((long)Math.Round(en, MidpointRounding.ToEven), d);
        return new KsResult(d, Math.Clamp(prob, 0, 1), false);
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    /// <summary>Pr(D_{n,n} ≥ h/n) by the alternating sum of binomial ratios in Horner form (SciPy's _compute_prob_outside_square).</summary>
    private static double ProbabilityOutsideSquare(long n, long h)
    {
        var p = 0.0;
        var k = (long)Math.Floor((double)n / h);
        while (k >= 0)
        {
            var p1 = 1.0;
            for (long j = 0; j < h; j++)
            {
                p1 = (n - (k * h) - j) * p1 / (n + (k * h) + j + 1);
            }

            p = p1 * (1.0 - p);
            k--;
        }

        return 2 * p;
    }

    /// <summary>
    /// Proportion of lattice paths from (0, 0) to (m, n) that leave the band |x/m − y/n| &lt; h / lcm(m, n), computed
    /// column by column directly as 1 − p (SciPy's _compute_outer_prob_inside_method).
    /// </summary>
    private static double ProbabilityOutsideInside(long m, long n, long g, long h)
    {
        if (m < n)
        {
            (m, n) = (n, m);
        }

        var mg = m / g;
        var ng = n / g;
        long minj = 0;
        var maxj = Math.Min((long)Math.Ceiling((double)h / mg), n + 1);
        var curlen = maxj - minj;
        var lenA = Math.Min((2 * maxj) + 2, n + 1);
        var a = new double[lenA];
        Array.Fill(a, 1.0);
        for (var j = minj; j < maxj; j++)
        {
            a[j] = 0.0;
        }

        for (long i = 1; i <= m; i++)
        {
            var lastminj = minj;
            var lastlen = curlen;
            minj = Math.Max((long)Math.Floor((double)((ng * i) - h) / mg) + 1, 0);
            minj = Math.Min(minj, n);
            maxj = Math.Min((long)Math.Ceiling((double)((ng * i) + h) / mg), n + 1);
            if (maxj <= minj)
            {
                return 1.0;
            }

            var val = minj == 0 ? 0.0 : 1.0;
            for (long jj = 0; jj < maxj - minj; jj++)
            {
                var j = jj + minj;
                val = ((a[jj + minj - lastminj] * i) + (val * j)) / (i + j);
                a[jj] = val;
            }

            curlen = maxj - minj;
            if (lastlen > curlen)
            {
                var from = maxj - minj;
                var to = Math.Min(from + (lastlen - curlen), a.Length);
                for (var k = from; k < to; k++)
                {
                    a[k] = 1;
                }
            }
        }

        return a[maxj - minj - 1];
    }
}
