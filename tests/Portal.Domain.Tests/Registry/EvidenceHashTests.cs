using System.Globalization;
using Portal.Domain.Registry;

namespace Portal.Domain.Tests.Registry;

public sealed class EvidenceHashTests
{
    private sealed record Evidence(string Model, int Version, double Accuracy, Dictionary<string, double> Metrics, GateVerdict Schema);

    private static Evidence Sample(Dictionary<string, double>? metrics = null, double accuracy = 0.91) =>
        new("churn", 2, accuracy, metrics ?? new() { ["auc"] = 0.93, ["f1"] = 0.8 }, GateVerdict.Passed);

    [Fact]
    public void TheHashIsTheSha256OfTheCanonicalJson()
    {
        var canonical = EvidenceHash.Canonicalize(Sample());

        Assert.Equal("""{"accuracy":0.91,"metrics":{"auc":0.93,"f1":0.8},"model":"churn","schema":"Passed","version":2}""", canonical);
        Assert.Matches("^[0-9a-f]{64}$", EvidenceHash.Compute(Sample()));
    }

    [Fact]
    public void KeyOrderDoesNotChangeTheHash()
    {
        var a = EvidenceHash.Compute(Sample(new() { ["auc"] = 0.93, ["f1"] = 0.8 }));
        var b = EvidenceHash.Compute(Sample(new() { ["f1"] = 0.8, ["auc"] = 0.93 }));

        Assert.Equal(a, b);
        Assert.Equal(
            EvidenceHash.ComputeFromJson("""{ "b": [1, {"y": 2, "x": 1}], "a": "z" }"""),
            EvidenceHash.ComputeFromJson("""{"a":"z","b":[1,{"x":1,"y":2}]}"""));
    }

    [Fact]
    public void AnyChangedValueChangesTheHash()
    {
        var original = EvidenceHash.Compute(Sample());

        Assert.NotEqual(original, EvidenceHash.Compute(Sample(accuracy: 0.9100001)));
        Assert.NotEqual(original, EvidenceHash.Compute(Sample(new() { ["auc"] = 0.93, ["f1"] = 0.81 })));
        Assert.NotEqual(original, EvidenceHash.Compute(Sample() with { Version = 3 }));
        Assert.NotEqual(original, EvidenceHash.Compute(Sample() with { Schema = GateVerdict.Warning }));
    }

    [Fact]
    public void NumbersAreWrittenTheSameWhateverTheCulture()
    {
        var invariant = EvidenceHash.Compute(Sample());
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");

            Assert.Equal(invariant, EvidenceHash.Compute(Sample()));
            Assert.Contains("0.91", EvidenceHash.Canonicalize(Sample()));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void ANonFiniteMetricIsHashedNotRefused() =>
        Assert.Contains("\"NaN\"", EvidenceHash.Canonicalize(Sample(accuracy: double.NaN)));
}
