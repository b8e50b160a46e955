using System.Globalization;

namespace Portal.Web.Infrastructure;

/// <summary>Axis arithmetic shared by the SVG charts: "nice" tick values and invariant coordinates.</summary>
public static class ChartScale
{
    /// <summary>About <paramref name="count"/> ticks on steps of 1, 2, 2.5 or 5 times a power of ten, covering [min, max].</summary>
    public static double[] NiceTicks(double min, double max, int count)
    {
        var raw = (max - min) / Math.Max(1, count - 1);
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        var start = Math.Floor(min / step) * step;
        var ticks = new List<double>();
        for (var t = start; t <= max + (step / 2); t += step)
        {
            ticks.Add(Math.Round(t, 10));
        }

        return [.. ticks];
    }

    /// <summary>An SVG coordinate, two decimals at most, whatever the culture.</summary>
    public static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
