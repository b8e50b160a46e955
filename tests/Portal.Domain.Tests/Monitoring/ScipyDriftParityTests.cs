using System.Text.Json;
using Portal.Domain.Monitoring;
using Portal.Domain.Monitoring.Drift;

namespace Portal.Domain.Tests.Monitoring;

/// <summary>
/// The drift statistics equal SciPy 1.10.1's (ks_2samp, chisquare, kstwo.sf) and the PSI of the reference script, on the
/// checked-in fixture written by bench/Portal.Bench.Drift/scipy_drift.py. Tolerance 1e-9, relative above 1.
/// </summary>
public sealed class ScipyDriftParityTests
{
    private const double Tolerance = 1e-9;
    private static readonly Lazy<JsonDocument> Fixture = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Monitoring", "scipy-drift-fixture.json"))));

    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var c in Fixture.Value.RootElement.GetProperty("cases").EnumerateArray())
        {
            names.Add(c.GetProperty("name").GetString()!);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void DriftDetectorStatisticsEqualScipyOnFixtureCase(string name)
    {
        var c = Case(name);
        var (reference, current) = Columns(c);

        var drift = DriftDetector.Compare(DriftReference.Build([reference]), [current], MonitoringPolicy.Default).Features.Single();

        AssertClose(c.GetProperty("statistic").GetDouble(), drift.Statistic, "statistic");
        AssertClose(c.GetProperty("pValue").GetDouble(), drift.PValue, "p-value");
        AssertClose(c.GetProperty("psi").GetDouble(), drift.Psi, "PSI");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void TwoSampleKsOnRawSamplesEqualsScipy(string name)
    {
        var c = Case(name);
        if (c.GetProperty("kind").GetString() != "numeric")
        {
            return;
        }

        var (reference, current) = Columns(c);

        var ks = KolmogorovSmirnov.TwoSample(reference.Numbers.Where(v => !double.IsNaN(v)).ToArray(), current.Numbers.Where(v => !double.IsNaN(v)).ToArray());

        AssertClose(c.GetProperty("statistic").GetDouble(), ks.Statistic, "statistic");
        AssertClose(c.GetProperty("pValue").GetDouble(), ks.PValue, "p-value");
        Assert.Equal(c.GetProperty("exact").GetBoolean(), ks.Exact);
    }

    [Fact]
    public void KolmogorovSurvivalEqualsScipyKstwoAcrossEveryRegime()
    {
        var failures = new List<string>();
        foreach (var point in Fixture.Value.RootElement.GetProperty("kolmogorov").EnumerateArray())
        {
            var n = point.GetProperty("n").GetInt64();
            var x = point.GetProperty("x").GetDouble();
            var expected = point.GetProperty("sf").GetDouble();
            var actual = KolmogorovDistribution.Survival(n, x);
            if (!(Math.Abs(actual - expected) <= Tolerance))
            {
                failures.Add($"kstwo.sf({x:R}, {n}) = {expected:R}, ours {actual:R}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(Fixture.Value.RootElement.GetProperty("kolmogorov").GetArrayLength() > 200);
    }

    private static JsonElement Case(string name) =>
        Fixture.Value.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static (FeatureColumn Reference, FeatureColumn Current) Columns(JsonElement c)
    {
        if (c.GetProperty("kind").GetString() == "numeric")
        {
            return (FeatureColumn.Numeric("x", Numbers(c.GetProperty("reference"))), FeatureColumn.Numeric("x", Numbers(c.GetProperty("current"))));
        }

        return (FeatureColumn.Categorical("x", Strings(c.GetProperty("referenceCategories"))), FeatureColumn.Categorical("x", Strings(c.GetProperty("currentCategories"))));
    }

    private static double[] Numbers(JsonElement array) =>
        [.. array.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble())];

    private static string?[] Strings(JsonElement array) =>
        [.. array.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? null : v.GetString())];

    private static void AssertClose(double expected, double actual, string what)
    {
        var tolerance = Tolerance * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: SciPy {expected:R}, ours {actual:R} (difference {Math.Abs(expected - actual):E3})");
    }
}
