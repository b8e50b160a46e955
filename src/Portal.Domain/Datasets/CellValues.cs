using System.Globalization;

namespace Portal.Domain.Datasets;

/// <summary>How a single CSV cell is read for inference: missing markers, invariant numbers, boolean tokens, dates.</summary>
public static class CellValues
{
    /// <summary>Date layouts accepted besides ISO-8601. Slash dates are read month-first, then day-first.</summary>
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-ddTHH:mm",
        "yyyy-MM-ddTHH:mm:ss",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mmK",
        "yyyy-MM-ddTHH:mm:ssK",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm:ssK",
        "yyyy/MM/dd",
        "d.M.yyyy",
        "M/d/yyyy",
        "d/M/yyyy",
        "d-MMM-yyyy",
        "d MMM yyyy",
    ];

    /// <summary>Blank, <c>NA</c>, <c>N/A</c>, <c>null</c> or <c>NaN</c> (any case) count as missing.</summary>
    public static bool IsMissing(string value)
    {
        var trimmed = value.AsSpan().Trim();
        return trimmed.Length == 0
            || trimmed.Equals("na", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("n/a", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("null", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("nan", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A finite invariant-culture number (sign, decimal point, exponent; no thousands separators).</summary>
    public static bool TryParseNumber(string value, out double number) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    /// <summary><c>true/false</c>, <c>yes/no</c>, <c>1/0</c>, any case.</summary>
    public static bool TryParseBoolean(string value, out bool result)
    {
        var trimmed = value.AsSpan().Trim();
        if (trimmed.Equals("true", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("yes", StringComparison.OrdinalIgnoreCase) || trimmed is "1")
        {
            result = true;
            return true;
        }

        if (trimmed.Equals("false", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("no", StringComparison.OrdinalIgnoreCase) || trimmed is "0")
        {
            result = false;
            return true;
        }

        result = false;
        return false;
    }

    /// <summary>An ISO-8601 date or date-time (offsets are converted to UTC) or one of a few common day/month layouts.</summary>
    public static bool TryParseDate(string value, out DateTime date)
    {
        var trimmed = value.AsSpan().Trim();
        // Cheap reject before trying the format list: every accepted layout starts with a digit.
        if (trimmed.Length is < 6 or > 40 || !char.IsAsciiDigit(trimmed[0]))
        {
            date = default;
            return false;
        }

        if (DateTimeOffset.TryParseExact(trimmed, DateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            date = parsed.UtcDateTime;
            return true;
        }

        date = default;
        return false;
    }
}
