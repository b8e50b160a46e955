using Portal.Domain.Datasets;
using Portal.Domain.Diagnostics;

namespace Portal.Domain.Registry;

/// <summary>A training column as the data protection gate reads it: its dataset version, name and the DPO's classification.</summary>
public sealed record ClassifiedColumn(string Dataset, int Version, string Name, DataClassification Classification, bool PersonalDataSuspected);

/// <summary>A diagnostic of the challenger's run as the diagnostics gate reads it.</summary>
public sealed record RecordedDiagnostic(string Rule, DiagnosticSeverity Severity, string Message);

/// <summary>
/// The gates decided from what is already recorded (no scoring): training diagnostics and data protection. Their reasons name
/// what was found, in words a manager reads.
/// </summary>
public static class RecordedGates
{
    /// <summary>Failed when the run has a critical diagnostic (naming it); a Warning listing warnings; else Passed.</summary>
    public static GateResult Diagnostics(IReadOnlyCollection<RecordedDiagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var critical = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Critical).ToList();
        if (critical.Count > 0)
        {
            return new(PromotionGate.Diagnostics, GateVerdict.Failed,
                $"Training raised {critical.Count} error-severity diagnostic{(critical.Count == 1 ? "" : "s")}: {string.Join(" ", critical.Select(d => $"{d.Rule}: {d.Message}"))}");
        }

        var warnings = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).ToList();
        return warnings.Count > 0
            ? new(PromotionGate.Diagnostics, GateVerdict.Warning,
                $"No error-severity diagnostic; {warnings.Count} warning{(warnings.Count == 1 ? "" : "s")}: {string.Join(" ", warnings.Select(d => $"{d.Rule}: {d.Message}"))}")
            : new(PromotionGate.Diagnostics, GateVerdict.Passed, "Training raised no error- or warning-severity diagnostic.");
    }

    /// <summary>
    /// Waiting for the DPO's sign-off when a training column is classified as personal data (or special category), or any
    /// column is still unclassified; Passed when every column is classified not personal.
    /// </summary>
    public static GateResult DataProtection(IReadOnlyCollection<ClassifiedColumn> trainingColumns)
    {
        ArgumentNullException.ThrowIfNull(trainingColumns);
        if (trainingColumns.Count == 0)
        {
            return new(PromotionGate.DataProtection, GateVerdict.Waiting,
                "The training data is not known to Portal (an external run without a dataset): the data protection officer must sign off.");
        }

        var personal = trainingColumns.Where(c => c.Classification is DataClassification.Personal or DataClassification.SpecialCategory).ToList();
        var unclassified = trainingColumns.Where(c => c.Classification == DataClassification.Unclassified).ToList();
        if (personal.Count == 0 && unclassified.Count == 0)
        {
            return new(PromotionGate.DataProtection, GateVerdict.Passed, "Every training column is classified as not personal data.");
        }

        var parts = new List<string>();
        if (personal.Count > 0)
        {
            parts.Add($"classified as personal data: {Names(personal)}");
        }

        if (unclassified.Count > 0)
        {
            var suspected = unclassified.Where(c => c.PersonalDataSuspected).ToList();
            parts.Add($"{unclassified.Count} column{(unclassified.Count == 1 ? " is" : "s are")} not classified yet"
                + (suspected.Count > 0 ? $" (suspected personal data: {Names(suspected)})" : ""));
        }

        return new(PromotionGate.DataProtection, GateVerdict.Waiting,
            $"The training data has columns {string.Join("; ", parts)}: the data protection officer must sign off.");
    }

    private static string Names(IEnumerable<ClassifiedColumn> columns) => string.Join(", ", columns.Select(c => c.Name));
}
