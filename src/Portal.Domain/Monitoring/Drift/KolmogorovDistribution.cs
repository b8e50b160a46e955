namespace Portal.Domain.Monitoring.Drift;

/// <summary>
/// The distribution of the two-sided one-sample Kolmogorov–Smirnov statistic D_n, as SciPy's <c>kstwo</c> computes it
/// (scipy/stats/_ksstats.py, after Simard &amp; L'Ecuyer 2011): the Ruben–Gambino closed forms at the ends, Durbin's
/// matrix (Marsaglia–Tsang–Wang) and Pomeranz's recursion for small n·x², the Pelz–Good expansion for large n, and
/// twice Smirnov's one-sided tail (Birnbaum–Tingey sum, scipy/special/cephes/kolmogorov.c) in the far tail.
/// MathNet.Numerics has no finite-n Kolmogorov distribution, hence this class. The choice of method at each (n, x) is
/// SciPy's, so the p-values agree with SciPy's well within 1e-9; the arithmetic is plain double where SciPy's
/// Smirnov uses double-double (the difference is far below that tolerance in the tail where it is used).
/// </summary>
public static class KolmogorovDistribution
{
    private const int Scale = 128;
    private static readonly double ScaleUp = Math.ScaleB(1.0, Scale);
    private static readonly double ScaleDown = Math.ScaleB(1.0, -Scale);
    private static readonly double Sqrt2Pi = Math.Sqrt(2 * Math.PI);
    private static readonly double Log2Pi = Math.Log(2 * Math.PI);
    private const double MinLog = -708;
    private const double CephesMinLog = -7.08396418532264106224E2;
    private const int SmirnovMaxComputeN = 1_000_000;
    private const double DoubleEpsilon = 2.220446049250313e-16;
    private static readonly double PiSquared = Math.PI * Math.PI;
    private static readonly double PiFour = Math.Pow(Math.PI, 4);
    private static readonly double PiSix = Math.Pow(Math.PI, 6);

    private static readonly double[] StirlingCoefficients =
    [
        -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
        -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
    ];

    /// <summary>Pr(D_n ≥ x): SciPy's <c>kstwo.sf(x, n)</c>.</summary>
    public static double Survival(long n, double x)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x >= 1.0)
        {
            return 0.0;
        }

        if (x <= 0.0)
        {
            return 1.0;
        }

        var t = n * x;
        if (t <= 1.0)
        {
            if (t <= 0.5)
            {
                return 1.0;
            }

            double cdf;
            if (n <= 140)
            {
                cdf = 1.0;
                for (var i = 1; i <= n; i++)
                {
                    cdf *= i * (1.0 / n) * ((2 * t) - 1);
                }
            }
            else
            {
                cdf = Math.Exp(LogFactorialOverPower(n) + (n * Math.Log((2 * t) - 1)));
            }

            return Clip(1.0 - cdf);
        }

        if (t >= n - 1)
        {
            return Clip(2 * Math.Pow(1.0 - x, n));
        }

        if (x >= 0.5)
        {
            return Clip(2 * SmirnovSurvival(n, x));
        }

        var nxSquared = t * x;
        if (n <= 140)
        {
            if (nxSquared <= 0.754693)
            {
                return Clip(1.0 - Clip(Durbin(n, x)));
            }

            if (nxSquared <= 4)
            {
                return Clip(1.0 - Clip(Pomeranz(n, x)));
            }

            return Clip(2 * SmirnovSurvival(n, x));
        }

        if (nxSquared >= 370.0)
        {
            return 0.0;
        }

        if (nxSquared >= 2.2)
        {
            return Clip(2 * SmirnovSurvival(n, x));
        }

        var cdfProb = nxSquared >= 18.0 ? 1.0
            : n <= 100000 && n * Math.Pow(x, 1.5) <= 1.4 ? Clip(Durbin(n, x))
            : PelzGood(n, x);
        return Clip(1.0 - cdfProb);
    }

    private static double Clip(double p) => double.IsNaN(p) ? p : Math.Clamp(p, 0.0, 1.0);

    /// <summary>log(n! / nⁿ) by Stirling's series with n·log n removed up front.</summary>
    private static double LogFactorialOverPower(long n)
    {
        var rn = 1.0 / n;
        var x = rn / n;
        var poly = StirlingCoefficients[0];
        for (var i = 1; i < StirlingCoefficients.Length; i++)
        {
            poly = (poly * x) + StirlingCoefficients[i];
        }

        return (Math.Log(n) / 2) - n + (Log2Pi / 2) + (rn * poly);
    }

    /// <summary>Pr(D_n ≤ d) by Durbin's matrix method as Marsaglia, Tsang and Wang compute it (a power of an m×m matrix).</summary>
    private static double Durbin(long n, double d)
    {
        if (d >= 1.0)
        {
            return 1.0;
        }

        var nd = n * d;
        if (nd <= 0.5)
        {
            return 0.0;
        }

        var k = (int)Math.Ceiling(nd);
        var h = k - nd;
        var m = (2 * k) - 1;

        var v = new double[m];
        var w = new double[m];
        var fac = 1.0;
        for (var j = 1; j <= m; j++)
        {
            v[j - 1] = 1.0 - Math.Pow(h, j);
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] *= fac;
        }

        var tt = Math.Pow(Math.Max((2 * h) - 1.0, 0), m) - (2 * Math.Pow(h, m));
        v[m - 1] = (1.0 + tt) * fac;

        var matrix = new double[m, m];
        for (var i = 1; i < m; i++)
        {
            for (var r = i - 1; r < m; r++)
            {
                matrix[r, i] = w[r - (i - 1)];
            }
        }

        for (var r = 0; r < m; r++)
        {
            matrix[r, 0] = v[r];
        }

        for (var c = 0; c < m; c++)
        {
            matrix[m - 1, c] = v[m - 1 - c];
        }

        var power = Identity(m);
        var nn = n;
        var exponent = 0;
        var matrixExponent = 0;
        while (nn > 0)
        {
            if (nn % 2 == 1)
            {
                power = Multiply(power, matrix);
                exponent += matrixExponent;
            }

            matrix = Multiply(matrix, matrix);
            matrixExponent *= 2;
            if (Math.Abs(matrix[k - 1, k - 1]) > ScaleUp)
            {
                Divide(matrix, ScaleUp);
                matrixExponent += Scale;
            }

            nn /= 2;
        }

        var p = power[k - 1, k - 1];
        for (var i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < ScaleDown)
            {
                p *= ScaleUp;
                exponent -= Scale;
            }
        }

        return exponent != 0 ? Math.ScaleB(p, exponent) : p;
    }

    private static double[,] Identity(int m)
    {
        var identity = new double[m, m];
        for (var i = 0; i < m; i++)
        {
            identity[i, i] = 1.0;
        }

        return identity;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var m = a.GetLength(0);
        var result = new double[m, m];
        for (var i = 0; i < m; i++)
        {
            for (var l = 0; l < m; l++)
            {
                var ail = a[i, l];
                if (ail == 0)
                {
                    continue;
                }

                for (var j = 0; j < m; j++)
                {
                    result[i, j] += ail * b[l, j];
                }
            }
        }

        return result;
    }

    private static void Divide(double[,] a, double by)
    {
        var m = a.GetLength(0);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < m; j++)
            {
                a[i, j] /= by;
            }
        }
    }

    private static (int J1, int J2) PomeranzBounds(long i, long n, long ll, int ceilF, int roundF)
    {
        long j1, j2;
        if (i == 0)
        {
            j1 = -ll - ceilF - 1;
            j2 = ll + ceilF - 1;
        }
        else
        {
            var ip1Div2 = (i + 1) / 2;
            var ip1Mod2 = (i + 1) % 2;
            if (ip1Mod2 == 0)
            {
                if (ip1Div2 == n + 1)
                {
                    j1 = n - ll - ceilF - 1;
                    j2 = n + ll + ceilF - 1;
                }
                else
                {
                    j1 = ip1Div2 - 1 - ll - roundF - 1;
                    j2 = ip1Div2 + ll - 1 + ceilF - 1;
                }
            }
            else
            {
                j1 = ip1Div2 - 1 - ll - 1;
                j2 = ip1Div2 + ll + roundF - 1;
            }
        }

        return ((int)Math.Max(j1 + 2, 0), (int)Math.Min(j2, n));
    }

    /// <summary>Pr(D_n ≤ x) by Pomeranz's recursion (1974), two rows of Poisson convolutions with scaling.</summary>
    private static double Pomeranz(long n, double x)
    {
        var t = n * x;
        var ll = (long)Math.Floor(t);
        var f = t - ll;
        var g = Math.Min(f, 1.0 - f);
        var ceilF = f > 0 ? 1 : 0;
        var roundF = f > 0.5 ? 1 : 0;
        var powers = (int)(2 * (ll + 1));
        var gPower = new double[powers];
        var twoGPower = new double[powers];
        var oneMinus2GPower = new double[powers];
        gPower[0] = 1.0;
        twoGPower[0] = 1.0;
        oneMinus2GPower[0] = 1.0;
        var exponent = 0;
        double gOverN = g / n, twoGOverN = 2 * g / n, oneMinusTwoGOverN = (1 - (2 * g)) / n;
        for (var m = 1; m < powers; m++)
        {
            gPower[m] = gPower[m - 1] * gOverN / m;
            twoGPower[m] = twoGPower[m - 1] * twoGOverN / m;
            oneMinus2GPower[m] = oneMinus2GPower[m - 1] * oneMinusTwoGOverN / m;
        }

        var v0 = new double[powers];
        var v1 = new double[powers];
        v1[0] = 1;
        int v0s = 0, v1s = 0;
        var (j1, _) = PomeranzBounds(0, n, ll, ceilF, roundF);
        for (long i = 1; i < (2 * n) + 2; i++)
        {
            var k1 = j1;
            (v0, v1) = (v1, v0);
            (v0s, v1s) = (v1s, v0s);
            Array.Clear(v1);
            (j1, var j2) = PomeranzBounds(i, n, ll, ceilF, roundF);
            var pwrs = i == 1 || i == (2 * n) + 1 ? gPower : i % 2 == 1 ? twoGPower : oneMinus2GPower;
            var ln2 = j2 - k1 + 1;
            if (ln2 > 0)
            {
                // numpy: np.convolve(V0[k1 - V0s : k1 - V0s + ln2], pwrs[:ln2]), slices clipped at the array's end.
                var aStart = k1 - v0s;
                var aLength = Math.Min(ln2, powers - aStart);
                var bLength = Math.Min(ln2, powers);
                var convStart = j1 - k1;
                var convLength = j2 - j1 + 1;
                var max = 0.0;
                for (var c = 0; c < convLength; c++)
                {
                    var index = convStart + c;
                    var sum = 0.0;
                    var from = Math.Max(0, index - (bLength - 1));
                    var to = Math.Min(index, aLength - 1);
                    for (var a = from; a <= to; a++)
                    {
                        sum += v0[aStart + a] * pwrs[index - a];
                    }

                    v1[c] = sum;
                    max = Math.Max(max, sum);
                }

                if (max > 0 && max < ScaleDown)
                {
                    for (var c = 0; c < v1.Length; c++)
                    {
                        v1[c] *= ScaleUp;
                    }

                    exponent -= Scale;
                }

                v1s = v0s + j1 - k1;
            }
        }

        var answer = v1[n - v1s];
        for (var m = 1; m <= n; m++)
        {
            if (Math.Abs(answer) > ScaleUp)
            {
                answer *= ScaleDown;
                exponent += Scale;
            }

            answer *= m;
        }

        return exponent != 0 ? Math.ScaleB(answer, exponent) : answer;
    }

    /// <summary>Pr(D_n ≤ x) by the Pelz–Good (1976) expansion in 1/√n.</summary>
    private static double PelzGood(long n, double x)
    {
        if (x <= 0.0)
        {
            return 0.0;
        }

        if (x >= 1.0)
        {
            return 1.0;
        }

        var z = Math.Sqrt(n) * x;
        double zSquared = z * z, zThree = z * z * z, zFour = Math.Pow(z, 4), zSix = Math.Pow(z, 6);
        var qLog = -PiSquared / 8 / zSquared;
        if (qLog < MinLog)
        {
            return 0.0;
        }

        var q = Math.Exp(qLog);
        var k1a = -zSquared;
        var k1b = PiSquared / 4;
        var k2a = (6 * zSix) + (2 * zFour);
        var k2b = ((2 * zFour) - (5 * zSquared)) * PiSquared / 4;
        var k2c = PiFour * (1 - (2 * zSquared)) / 16;
        var k3d = PiSix * (5 - (30 * zSquared)) / 64;
        var k3c = PiFour * ((-60 * zSquared) + (212 * zFour)) / 16;
        var k3b = PiSquared * ((135 * zFour) - (96 * zSix)) / 4;
        var k3a = (-30 * zSix) - (90 * Math.Pow(z, 8));

        Span<double> k = stackalloc double[4];
        var maxK = (int)Math.Ceiling(16 * z / Math.PI);
        for (var kk = maxK; kk > 0; kk--)
        {
            var m = (2.0 * kk) - 1;
            double mSquared = m * m, mFour = Math.Pow(m, 4), mSix = Math.Pow(m, 6);
            var qPower = Math.Pow(q, 8 * kk);
            k[0] = (k[0] * qPower) + 1.0;
            k[1] = (k[1] * qPower) + (k1a + (k1b * mSquared));
            k[2] = (k[2] * qPower) + (k2a + (k2b * mSquared) + (k2c * mFour));
            k[3] = (k[3] * qPower) + (k3a + (k3b * mSquared) + (k3c * mFour) + (k3d * mSix));
        }

        for (var i = 0; i < 4; i++)
        {
            k[i] *= q;
            k[i] *= Sqrt2Pi;
        }

        k[0] /= z;
        k[1] /= 6 * zFour;
        k[2] /= 72 * Math.Pow(z, 7);
        k[3] /= 6480 * Math.Pow(z, 10);

        q = Math.Exp(-PiSquared / 2 / zSquared);
        var sqrt3Z = Math.Sqrt(3) * z;
        double k2Extra = 0, k3Extra = 0;
        for (var kk = maxK; kk > 0; kk--)
        {
            var kSquared = (double)kk * kk;
            var qPower = Math.Pow(q, kSquared);
            k2Extra += kSquared * qPower;
            var ksPi = Math.PI * kk;
            k3Extra += (sqrt3Z + ksPi) * (sqrt3Z - ksPi) * kSquared * qPower;
        }

        k2Extra *= PiSquared * Sqrt2Pi / (-36 * zThree);
        k[2] += k2Extra;
        k3Extra *= PiSquared * Sqrt2Pi / (216 * zSix);
        k[3] += k3Extra;
        var sum = 0.0;
        for (var i = 0; i < 4; i++)
        {
            sum += k[i] / Math.Pow(n, i / 2.0);
        }

        return sum;
    }

    /// <summary>
    /// Smirnov's one-sided tail Pr(D⁺_n ≥ x) (cephes <c>smirnov</c>): the Birnbaum–Tingey sum, from below or, when that
    /// is shorter and x small, from above; terms in logarithms so that neither the binomials nor the powers overflow.
    /// </summary>
    public static double SmirnovSurvival(long n, double x)
    {
        if (!(n > 0 && x >= 0.0 && x <= 1.0))
        {
            return double.NaN;
        }

        if (n == 1)
        {
            return 1 - x;
        }

        if (x == 0.0)
        {
            return 1.0;
        }

        if (x == 1.0)
        {
            return 0.0;
        }

        // floor(n·x) and its remainder exactly (the fused multiply-add keeps the product unrounded).
        var nx = n * x;
        var nxFloor = Math.Floor(nx);
        var alpha = Math.FusedMultiplyAdd(n, x, -nxFloor);
        if (alpha < 0)
        {
            nxFloor -= 1;
            alpha += 1;
        }

        if (alpha >= 1)
        {
            nxFloor += 1;
            alpha -= 1;
        }

        var nxfl = (long)nxFloor;
        var n1mxfl = n - nxfl - (alpha == 0 ? 0 : 1);
        var n1mxceil = n - nxfl;
        if (alpha == 0)
        {
            n1mxfl -= 1;
            n1mxceil += 1;
        }

        if (nxfl == 0 || (nxfl == 1 && alpha == 0))
        {
            return 1 - (x * Math.Pow(1 + x, n - 1));
        }

        if (-2 * n * x * x < CephesMinLog)
        {
            return 0;
        }

        if (nxfl >= n - 1)
        {
            return Math.Pow(1 - x, n);
        }

        if (n > SmirnovMaxComputeN)
        {
            var logp = -Math.Pow((6.0 * n * x) + 1, 2) / 18.0 / n;
            return Math.Exp(logp);
        }

        var nUpperTerms = n - n1mxceil + 1;
        var useUpperSum = (nUpperTerms <= 1 && x < 0.5)
            || (n >= 10 && nUpperTerms <= 3 && x <= 0.5 / Math.Sqrt(n));

        long start = 0, step = 1, nTerms = n1mxfl + 1;
        var vmid = n / 2;
        double sum;
        if (useUpperSum)
        {
            start = n;
            step = -1;
            nTerms = n - n1mxceil + 1;
            sum = Math.Pow(1 + x, n - 1);
        }
        else
        {
            sum = Math.Pow(1 - x, n) / x;
        }

        var logBinomial = Math.Log(n);
        for (long j = 1; j < nTerms; j++)
        {
            var v = start + (j * step);
            var baseLow = ((double)(n - v) / n) - x;
            var baseHigh = ((double)v / n) + x;
            var sign = baseLow < 0 && (n - v) % 2 == 1 ? -1.0 : 1.0;
            var logTerm = logBinomial + ((n - v) == 0 ? 0 : (n - v) * Math.Log(Math.Abs(baseLow))) + ((v - 1) * Math.Log(baseHigh));
            var term = sign * Math.Exp(logTerm);
            if (double.IsFinite(term) && term != 0)
            {
                sum += term;
            }

            if (term != 0)
            {
                if (4 * (nTerms - j) * Math.Abs(term) < DoubleEpsilon * sum && j != nTerms - 1)
                {
                    break;
                }
            }
            else if (j > vmid)
            {
                break;
            }

            logBinomial += Math.Log(n - j) - Math.Log(j + 1);
        }

        var prob = x * sum;
        var sf = step < 0 ? 1 - prob : prob;
        return Math.Clamp(sf, 0, 1);
    }
}
