using Portal.Domain.Registry;

namespace Portal.Domain.Tests.Registry;

public sealed class SchemaCompatibilityTests
{
    private static readonly InputFeature[] Champion = [new("Age", "Single"), new("Plan", "String"), new("Tenure", "Single")];

    [Fact]
    public void IdenticalInputsPassWhateverTheOrder()
    {
        var gate = SchemaCompatibility.Gate([Champion[2], Champion[0], Champion[1]], Champion);

        Assert.Equal(PromotionGate.Schema, gate.Gate);
        Assert.Equal(GateVerdict.Passed, gate.Verdict);
    }

    [Fact]
    public void ARemovedFeatureIsBreakingAndNamed()
    {
        var gate = SchemaCompatibility.Gate([Champion[0], Champion[1]], Champion);

        Assert.Equal(GateVerdict.Failed, gate.Verdict);
        Assert.True(gate.BlocksApproval);
        Assert.Contains("Tenure", gate.Reason);
    }

    [Fact]
    public void ARetypedFeatureIsBreakingAndSaysBothTypes()
    {
        var gate = SchemaCompatibility.Gate([Champion[0], Champion[1], new("Tenure", "String")], Champion);

        Assert.Equal(GateVerdict.Failed, gate.Verdict);
        Assert.Contains("Tenure as String instead of Single", gate.Reason);
    }

    [Fact]
    public void AnAddedFeatureIsAWarningThatDoesNotBlock()
    {
        var gate = SchemaCompatibility.Gate([.. Champion, new("Region", "String")], Champion);

        Assert.Equal(GateVerdict.Warning, gate.Verdict);
        Assert.False(gate.BlocksApproval);
        Assert.Contains("Region", gate.Reason);
    }

    [Fact]
    public void ARenameIsARemovalPlusAnAdditionAndBreaks()
    {
        var diff = SchemaCompatibility.Compare([Champion[0], Champion[1], new("tenure", "Single")], Champion);
        var gate = SchemaCompatibility.Gate([Champion[0], Champion[1], new("tenure", "Single")], Champion);

        Assert.Equal("Tenure", Assert.Single(diff.Removed).Name);
        Assert.Equal("tenure", Assert.Single(diff.Added).Name);
        Assert.Equal(GateVerdict.Failed, gate.Verdict);
        Assert.Contains("tenure", gate.Reason);
    }

    [Fact]
    public void WithoutAChampionTheSchemaPasses() =>
        Assert.Equal(GateVerdict.Passed, SchemaCompatibility.Gate(Champion, null).Verdict);
}
