namespace Portal.Data.Sqlite;

/// <summary>
/// A DateTime as EF Core's SQLite provider stores and compares it (<see cref="SqliteMetricBatchWriter.SqliteDateTimeFormat"/>:
/// <c>yyyy-MM-dd HH:mm:ss</c>, then the fraction of a second in up to seven digits without trailing zeros, and no point
/// when it is zero), written as UTF-8 digits. .NET's custom format string builds the same text through its general
/// formatter, which was 3 % of the prediction log writer's CPU time (docs/benchmarks.md, "Serving, seventh pass").
/// </summary>
internal static class SqliteDateTimeText
{
    /// <summary>The longest form: <c>yyyy-MM-dd HH:mm:ss.fffffff</c>.</summary>
    public const int MaxLength = 27;

    /// <summary>Writes <paramref name="value"/> into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes) and returns the length written.</summary>
    public static int Format(DateTime value, Span<byte> destination)
    {
        if (destination.Length < MaxLength)
        {
            throw new ArgumentException($"The destination needs {MaxLength} bytes.", nameof(destination));
        }

        Digits(destination[..4], value.Year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), value.Month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), value.Day);
        destination[10] = (byte)' ';
        Digits(destination.Slice(11, 2), value.Hour);
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), value.Minute);
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), value.Second);
        var fraction = (int)(value.Ticks % TimeSpan.TicksPerSecond);
        if (fraction == 0)
        {
            return 19;
        }

        var digits = 7;
        while (fraction % 10 == 0)
        {
            fraction /= 10;
            digits--;
        }

        destination[19] = (byte)'.';
        Digits(destination.Slice(20, digits), fraction);
        return 20 + digits;
    }

    /// <summary>The value's last <c>destination.Length</c> decimal digits, zero-padded.</summary>
    private static void Digits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
