using System.Globalization;
using Portal.Domain.Runs;

namespace Portal.Domain.Formatting;

/// <summary>
/// Numbers as people read them, in one place for every page: four significant digits, thousands grouped, never
/// E-notation (<c>2,735</c>, not <c>2.7E+03</c>); only values below a millionth or from a trillion up are written
/// as a power of ten (<c>1.2 × 10⁻⁷</c>).
/// </summary>
public static class NumberText
{
    private const int SignificantDigits = 4;

    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "not a number";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "∞" : "−∞";
        }

        if (value == 0)
        {
            return "0";
        }

        var magnitude = Math.Abs(value);
        if (magnitude is < 1e-6 or >= 1e12)
        {
            var exponent = (int)Math.Floor(Math.Log10(magnitude));
            var mantissa = value / Math.Pow(10, exponent);
            return $"{Trim(mantissa.ToString("F2", CultureInfo.InvariantCulture))} × 10{Superscript(exponent)}";
        }

        if (magnitude >= 1000)
        {
            return value.ToString("#,##0", CultureInfo.InvariantCulture);
        }

        var decimals = Math.Max(0, SignificantDigits - 1 - (int)Math.Floor(Math.Log10(magnitude)));
        return Trim(Math.Round(value, decimals).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
    }

    public static string Format(double? value) => value is { } v ? Format(v) : "–";

    /// <summary>A metric's value as its definition says it reads best (scores with four decimals, other numbers as <see cref="Format(double)"/>).</summary>
    public static string Metric(string key, double value) =>
        MetricCatalog.Describe(key).Format == MetricFormat.Score && double.IsFinite(value)
            ? value.ToString("0.####", CultureInfo.InvariantCulture)
            : Format(value);

    /// <summary>A count with thousands grouped.</summary>
    public static string Count(long value) => value.ToString("#,##0", CultureInfo.InvariantCulture);

    private static string Trim(string text) => text.Contains('.', StringComparison.Ordinal) ? text.TrimEnd('0').TrimEnd('.') : text;

    private static string Superscript(int exponent) =>
        string.Concat(exponent.ToString(CultureInfo.InvariantCulture).Select(c => c switch
        {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            _ => (char)('⁴' + (c - '4')),
        }));
}
