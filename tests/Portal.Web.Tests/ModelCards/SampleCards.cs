using Portal.Application.Registry.Cards;
using Portal.Domain.Datasets;
using Portal.Domain.Diagnostics;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Ml.Evaluation;

namespace Portal.Web.Tests.ModelCards;

/// <summary>Cards built in memory, with text anyone could have typed in every place a person's words reach the card.</summary>
public static class SampleCards
{
    /// <summary>Every construct that could turn text into Markdown or HTML structure, one per line.</summary>
    public const string Hostile = """
        | # <script>alert(1)</script> |
        # not a heading
        ===
        - not a list
        1. not a list either
        > not a quote
            not code
        ```
        [not a link](javascript:alert(1)) `not code` *not emphasis* &lt;b&gt; <img src=x onerror=alert(1)> \
        """;

    public static ModelCard Card(string intendedUse, string columnName = "email", string diagnostic = "The label is imbalanced.", string modelName = "churn")
    {
        var versionId = ModelVersionId.New(DateTimeOffset.UtcNow);
        var facts = new ModelCardFacts(versionId, new RunId(Guid.NewGuid()), modelName, 3, ModelStage.Staging, "loan-default", RunMode.Managed, RunStatus.Succeeded,
            MlTask.Binary, "defaulted",
            new ModelCardRecipe("LightGbm", [new("learningRate", "0.1")], 0.2, 7, "5.0.1", 800, 200),
            new ModelCardDataset(new DatasetId(Guid.NewGuid()), new DatasetVersionId(Guid.NewGuid()), "loans", 2, 1000, new string('b', 64),
            [
                new(columnName, ColumnType.Text, false, true, "Looks like e-mail addresses | 97 %", DataClassification.Personal),
                new("defaulted", ColumnType.Categorical, true, false, null, DataClassification.NotPersonal),
            ]),
            [new("areaUnderRocCurve", "AUC (ROC)", 0.8123, "higher is better")],
            new ModelEvaluation(new ConfusionMatrixData(["no", "yes"], [[150, 10], [12, 28]]), [new PerClassMetrics("no", 0.9259, 0.9375, 160)], null),
            [new("ClassImbalance", DiagnosticSeverity.Warning, diagnostic)],
            null, null, new string('a', 64), "scientist@portal.local", DateTime.UtcNow, DateTime.UtcNow, DateTime.UtcNow);
        return new ModelCard(facts,
        [
            new ModelCardSectionText(ModelCardSectionKind.IntendedUse, intendedUse, 1, "scientist@portal.local", DateTime.UtcNow),
            ModelCardSectionText.Unwritten(ModelCardSectionKind.Limitations),
            ModelCardSectionText.Unwritten(ModelCardSectionKind.EthicalConsiderations),
        ]);
    }

    /// <summary>The lines a person reads of written text (each trimmed, blank ones dropped).</summary>
    public static List<string> ReadLines(string text) =>
        [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];
}
