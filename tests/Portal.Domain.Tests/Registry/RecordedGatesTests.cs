using Portal.Domain.Datasets;
using Portal.Domain.Diagnostics;
using Portal.Domain.Registry;

namespace Portal.Domain.Tests.Registry;

public sealed class RecordedGatesTests
{
    [Fact]
    public void ACriticalDiagnosticFailsTheGateAndIsNamed()
    {
        var gate = RecordedGates.Diagnostics([new("LabelLeakage", DiagnosticSeverity.Critical, "Column churned_flag predicts the label alone."),
            new("SmallData", DiagnosticSeverity.Warning, "Few rows.")]);

        Assert.Equal(GateVerdict.Failed, gate.Verdict);
        Assert.True(gate.BlocksApproval);
        Assert.Contains("LabelLeakage", gate.Reason);
        Assert.DoesNotContain("SmallData", gate.Reason);
    }

    [Fact]
    public void WarningsAloneAreAWarningThatDoesNotBlock()
    {
        var gate = RecordedGates.Diagnostics([new("SmallData", DiagnosticSeverity.Warning, "Few rows."), new("Info", DiagnosticSeverity.Info, "Fine.")]);

        Assert.Equal(GateVerdict.Warning, gate.Verdict);
        Assert.False(gate.BlocksApproval);
        Assert.Contains("SmallData", gate.Reason);
    }

    [Fact]
    public void NoDiagnosticsPass() =>
        Assert.Equal(GateVerdict.Passed, RecordedGates.Diagnostics([new("Info", DiagnosticSeverity.Info, "Fine.")]).Verdict);

    [Fact]
    public void DataClassifiedNotPersonalPasses()
    {
        var gate = RecordedGates.DataProtection([Column("tenure", DataClassification.NotPersonal), Column("plan", DataClassification.NotPersonal)]);

        Assert.Equal(GateVerdict.Passed, gate.Verdict);
    }

    [Fact]
    public void APersonalColumnWaitsForTheOfficerAndIsNamed()
    {
        var gate = RecordedGates.DataProtection([Column("tenure", DataClassification.NotPersonal), Column("email", DataClassification.Personal)]);

        Assert.Equal(GateVerdict.Waiting, gate.Verdict);
        Assert.False(gate.BlocksApproval);
        Assert.Contains("email", gate.Reason);
        Assert.DoesNotContain("tenure", gate.Reason);
    }

    [Fact]
    public void AnUnclassifiedColumnWaitsAndSaysWhichAreSuspected()
    {
        var gate = RecordedGates.DataProtection([Column("tenure", DataClassification.NotPersonal), Column("phone", DataClassification.Unclassified, suspected: true),
            Column("plan", DataClassification.Unclassified)]);

        Assert.Equal(GateVerdict.Waiting, gate.Verdict);
        Assert.Contains("2 columns are not classified yet", gate.Reason);
        Assert.Contains("suspected personal data: phone", gate.Reason);
    }

    [Fact]
    public void UnknownTrainingDataWaitsForTheOfficer() =>
        Assert.Equal(GateVerdict.Waiting, RecordedGates.DataProtection([]).Verdict);

    private static ClassifiedColumn Column(string name, DataClassification classification, bool suspected = false) =>
        new("churn", 1, name, classification, suspected);
}
