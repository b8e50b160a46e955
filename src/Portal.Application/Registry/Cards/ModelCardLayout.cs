using System.Globalization;
using Portal.Domain.Datasets;
using Portal.Domain.Diagnostics;
using Portal.Domain.Formatting;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Statistics;
using Portal.Ml.Evaluation;

namespace Portal.Application.Registry.Cards;

/// <summary>A piece of a card's part: the renderers (Markdown, HTML, the page) each draw these, and escape text in one place.</summary>
public abstract record CardBlock;

/// <summary>A sub-heading inside a part.</summary>
public sealed record CardSubheading(string Text) : CardBlock;

/// <summary>Generated prose (may hold names people chose: dataset, columns, classes).</summary>
public sealed record CardParagraph(string Text) : CardBlock;

/// <summary>Something the card cannot state yet, said in words ("Not computed yet: ...").</summary>
public sealed record CardNote(string Text) : CardBlock;

/// <summary>A table; <see cref="NumericColumns"/> are right-aligned. The first column of the confusion matrix is a header column.</summary>
public sealed record CardTable(string Caption, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlySet<int> NumericColumns) : CardBlock;

/// <summary>
/// One part of the card ("## Training data"), in the card's order. A written part (<see cref="Written"/> set) holds what a person
/// wrote instead of generated blocks.
/// </summary>
public sealed record ModelCardPart(string Id, string Title, IReadOnlyList<CardBlock> Blocks, ModelCardSectionText? Written = null);

/// <summary>
/// The card's parts in the order of Mitchell et al.'s "Model Cards for Model Reporting": model details, intended use, training
/// data, training recipe, metrics, diagnostics, feature importance, fairness, limitations, ethical considerations. Every number
/// through <see cref="NumberText"/>; every gap said in words.
/// </summary>
public static class ModelCardLayout
{
    public const string NotComputedFeatureImportance =
        "Not computed yet: permutation feature importance is computed on the evaluation rows when the version's evidence is evaluated.";

    public const string NotComputedFairness =
        "Not computed yet: group fairness is computed on the evaluation rows when the version's evidence is evaluated for promotion.";

    public const string NoSensitiveColumns =
        "No column of the training data is classified as special category or marked sensitive, so no groups were compared.";

    public const string NotWritten = "Not written yet.";

    public static IReadOnlyList<ModelCardPart> Parts(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var facts = card.Facts;
        return
        [
            new("model-details", "Model details", Details(facts)),
            Written(card, ModelCardSectionKind.IntendedUse),
            new("training-data", "Training data", Data(facts)),
            new("training-recipe", "Training recipe", Recipe(facts)),
            new("metrics", "Metrics", Metrics(facts)),
            new("diagnostics", "Diagnostics", Diagnostics(facts)),
            new("feature-importance", "Feature importance", Importance(facts)),
            new("fairness", "Fairness", Fairness(facts)),
            Written(card, ModelCardSectionKind.Limitations),
            Written(card, ModelCardSectionKind.EthicalConsiderations),
        ];
    }

    /// <summary>The anchor id of a written section's part.</summary>
    public static string PartId(ModelCardSectionKind kind) => kind switch
    {
        ModelCardSectionKind.IntendedUse => "intended-use",
        ModelCardSectionKind.Limitations => "limitations",
        _ => "ethical-considerations",
    };

    public static string TaskText(MlTask? task) => task switch
    {
        MlTask.Binary => "Binary classification",
        MlTask.Multiclass => "Multiclass classification",
        MlTask.Regression => "Regression",
        _ => "Not stated (external run)",
    };

    public static string ClassificationText(DataClassification classification) => classification switch
    {
        DataClassification.NotPersonal => "Not personal",
        DataClassification.Personal => "Personal data",
        DataClassification.SpecialCategory => "Special category",
        _ => "Unclassified",
    };

    public static string VerdictText(FairnessVerdict verdict) => verdict switch
    {
        FairnessVerdict.WithinBounds => "Within bounds",
        FairnessVerdict.Breached => "Breached",
        _ => "Too few rows to judge",
    };

    public static string SeverityText(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Critical => "Critical",
        DiagnosticSeverity.Warning => "Warning",
        _ => "Information",
    };

    /// <summary>
    /// Written text as paragraphs of lines, the way every renderer shows it: a blank (or blank-looking) line separates
    /// paragraphs, other line breaks stay, each line trimmed. Any line break counts (CR, LF, CRLF, U+2028/2029, NEL, VT, FF).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> WrittenParagraphs(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var paragraphs = new List<IReadOnlyList<string>>();
        var current = new List<string>();
        foreach (var line in Lines(text).Select(l => l.Trim()))
        {
            if (line.Length > 0)
            {
                current.Add(line);
            }
            else if (current.Count > 0)
            {
                paragraphs.Add(current);
                current = [];
            }
        }

        if (current.Count > 0)
        {
            paragraphs.Add(current);
        }

        return paragraphs;
    }

    /// <summary>The lines of a text, split at any line break.</summary>
    public static IEnumerable<string> Lines(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Split(['\n', '\r', '\u2028', '\u2029', '\u0085', '\v', '\f']);

    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static ModelCardPart Written(ModelCard card, ModelCardSectionKind kind)
    {
        var section = card.Section(kind);
        return new(PartId(kind), section.Title, [], section);
    }

    private static List<CardBlock> Details(ModelCardFacts f)
    {
        List<IReadOnlyList<string>> rows = [];
        if (f.ModelName is { } name)
        {
            rows.Add(["Model", name]);
        }

        if (f.VersionNumber is { } number)
        {
            rows.Add(["Version", number.ToString(CultureInfo.InvariantCulture)]);
        }

        if (f.Stage is { } stage)
        {
            rows.Add(["Stage", stage == ModelStage.None ? "Registered (no stage)" : stage.ToString()]);
        }

        rows.Add(["Task", TaskText(f.Task)]);
        rows.Add(["Label column", f.LabelColumn ?? "Not stated"]);
        rows.Add(["Experiment", f.ExperimentName]);
        rows.Add(["Run", $"{f.RunId} ({(f.Mode == RunMode.Managed ? "trained by Portal" : "tracked externally")}, {f.Status})"]);
        rows.Add(["Trained by", f.SubmittedByName]);
        rows.Add(["Submitted", Time(f.SubmittedUtc)]);
        rows.Add(["Finished", f.FinishedUtc is { } finished ? Time(finished) : "Not finished"]);
        rows.Add(["Model file SHA-256", f.ModelSha256 ?? "No model file stored"]);
        rows.Add(["Model version id", f.VersionId.ToString()]);
        rows.Add(["Card generated", Time(f.GeneratedUtc)]);
        return [new CardTable("Model details", ["Fact", "Value"], rows, new HashSet<int>())];
    }

    private static List<CardBlock> Data(ModelCardFacts f)
    {
        if (f.Dataset is not { } d)
        {
            return [new CardNote("The run names no dataset version in Portal (an external run that did not say what it trained on).")];
        }

        var counts = d.ClassificationCounts;
        var summary = string.Join(", ", Enum.GetValues<DataClassification>().Where(counts.ContainsKey)
            .Select(c => $"{counts[c]} {ClassificationText(c).ToLowerInvariant()}"));
        var suspected = d.Columns.Count(c => c.PersonalDataSuspected);
        List<CardBlock> blocks =
        [
            new CardParagraph($"Dataset {d.Name}, version {d.Version}: {NumberText.Count(d.Rows)} rows, {d.Columns.Count} columns (SHA-256 {d.Sha256})."),
            new CardParagraph($"Data protection classification of the columns: {(summary.Length == 0 ? "no columns" : summary)}; "
                + $"{suspected} column{(suspected == 1 ? "" : "s")} flagged as possibly personal by detection."),
            new CardTable("Columns of the training data", ["Column", "Type", "Role", "Personal data suspected", "Classification"],
                [.. d.Columns.Select(c => (IReadOnlyList<string>)
                [
                    c.Name, c.Type.ToString(), c.IsLabel ? "Label" : "Feature",
                    c.PersonalDataSuspected ? "Yes" + (c.SuspicionReason is { Length: > 0 } reason ? $": {reason}" : "") : "No",
                    ClassificationText(c.Classification),
                ])],
                new HashSet<int>()),
        ];
        return blocks;
    }

    private static List<CardBlock> Recipe(ModelCardFacts f)
    {
        var r = f.Recipe;
        List<IReadOnlyList<string>> rows =
        [
            ["Trainer", r.Trainer ?? "Not stated"],
            ["Validation fraction", r.ValidationFraction is { } fraction ? $"{NumberText.Format(fraction * 100)} % of the rows held out" : "Not stated (external run)"],
            ["Seed", r.Seed?.ToString(CultureInfo.InvariantCulture) ?? "Not stated (external run)"],
            ["ML.NET version", r.LibraryVersion ?? "Not stated"],
            ["Training rows", r.TrainRows is { } train ? NumberText.Count(train) : "Not stated"],
            ["Validation rows", r.ValidationRows is { } validation ? NumberText.Count(validation) : "Not stated"],
        ];
        List<CardBlock> blocks = [new CardTable("Training recipe", ["Setting", "Value"], rows, new HashSet<int>()), new CardSubheading("Hyperparameters")];
        blocks.Add(r.Parameters.Count == 0
            ? new CardNote("No hyperparameters were recorded.")
            : new CardTable("Hyperparameters", ["Name", "Value"], [.. r.Parameters.Select(p => (IReadOnlyList<string>)[p.Name, p.Value])], new HashSet<int> { 1 }));
        return blocks;
    }

    private static List<CardBlock> Metrics(ModelCardFacts f)
    {
        List<CardBlock> blocks = [];
        blocks.Add(f.Recipe.ValidationRows is { } rows
            ? new CardParagraph($"Measured on the {NumberText.Count(rows)} validation rows held out from training (not an independent hold-out).")
            : new CardParagraph("Measured by the run on its own evaluation rows."));
        blocks.Add(f.Metrics.Count == 0
            ? new CardNote("The run recorded no metrics.")
            : new CardTable("Metrics", ["Metric", "Value", "Direction"],
                [.. f.Metrics.Select(m => (IReadOnlyList<string>)[m.DisplayName, NumberText.Metric(m.Key, m.Value), m.DirectionText])], new HashSet<int> { 1 }));

        var evaluation = f.Evaluation;
        if (evaluation?.PerClass is { Count: > 0 } perClass)
        {
            blocks.Add(new CardSubheading("Per class"));
            blocks.Add(new CardTable("Per-class metrics", ["Class", "Precision", "Recall", "F1", "Support (rows)"],
                [.. perClass.Select(c => (IReadOnlyList<string>)[c.Class, NumberText.Format(c.Precision), NumberText.Format(c.Recall), NumberText.Format(c.F1), NumberText.Count(c.Support)])],
                new HashSet<int> { 1, 2, 3, 4 }));
        }

        if (evaluation?.ConfusionMatrix is { } matrix)
        {
            blocks.Add(new CardSubheading("Confusion matrix"));
            blocks.Add(ConfusionTable(matrix));
        }

        if (evaluation?.Residuals is { } residuals)
        {
            blocks.Add(new CardSubheading("Residuals"));
            blocks.Add(new CardTable("Residuals (actual minus predicted)", ["Statistic", "Value"],
            [
                ["Rows", NumberText.Count(residuals.Rows)],
                ["Mean absolute error", NumberText.Format(residuals.MeanAbsoluteError)],
                ["Median absolute error", NumberText.Format(residuals.MedianAbsoluteError)],
                ["90th percentile absolute error", NumberText.Format(residuals.P90AbsoluteError)],
                ["Largest absolute error", NumberText.Format(residuals.MaxAbsoluteError)],
                ["Mean residual (bias)", NumberText.Format(residuals.MeanResidual)],
            ], new HashSet<int> { 1 }));
        }

        if (f.Task is MlTask.Binary or MlTask.Multiclass && evaluation?.ConfusionMatrix is null)
        {
            blocks.Add(new CardNote("The run stored no confusion matrix or per-class metrics."));
        }

        return blocks;
    }

    private static CardTable ConfusionTable(ConfusionMatrixData matrix) =>
        new("Confusion matrix: rows are the actual class, columns the predicted class", ["actual ↓ · predicted →", .. matrix.Classes],
            [.. matrix.Classes.Select((actual, a) => (IReadOnlyList<string>)[actual, .. matrix.Counts[a].Select(c => NumberText.Count((long)Math.Round(c)))])],
            Enumerable.Range(1, matrix.Classes.Count).ToHashSet());

    private static List<CardBlock> Diagnostics(ModelCardFacts f) =>
        f.Diagnostics.Count == 0
            ? [new CardParagraph("No diagnostic finding: the training checks found nothing to report.")]
            : [new CardTable("Diagnostics", ["Severity", "Rule", "Finding"],
                [.. f.Diagnostics.OrderByDescending(d => d.Severity).Select(d => (IReadOnlyList<string>)[SeverityText(d.Severity), d.Rule, d.Message])], new HashSet<int>())];

    private static List<CardBlock> Importance(ModelCardFacts f)
    {
        if (f.FeatureImportance is not { } importance)
        {
            return [new CardNote(NotComputedFeatureImportance)];
        }

        var metric = MetricCatalog.Describe(importance.Metric).DisplayName;
        return
        [
            new CardParagraph($"How much {metric} changes when one feature's values are shuffled on the evaluation rows (permutation importance); "
                + "the larger the change, the more the model relies on the feature. The spread is the standard deviation over repetitions."),
            importance.Rows.Count == 0
                ? new CardNote("No feature was measured.")
                : new CardTable("Feature importance", ["Feature", $"Change in {metric} (mean)", "Standard deviation"],
                    [.. importance.Rows.OrderByDescending(r => Math.Abs(r.Mean)).Select(r => (IReadOnlyList<string>)[r.Feature, NumberText.Format(r.Mean), NumberText.Format(r.StandardDeviation)])],
                    new HashSet<int> { 1, 2 }),
        ];
    }

    private static List<CardBlock> Fairness(ModelCardFacts f) => f.Fairness switch
    {
        null => [new CardNote(NotComputedFairness)],
        { Count: 0 } => [new CardParagraph(NoSensitiveColumns)],
        var rows =>
        [
            new CardParagraph("For each column classified as special category or marked sensitive: each group's true-positive rate (share of its actual "
                + "positives the model finds) and selection rate (share it predicts positive), and the column's verdict against the configured bounds."),
            new CardTable("Fairness by group", ["Column", "Group", "Rows", "True-positive rate", "Selection rate", "Verdict"],
                [.. rows.Select(r => (IReadOnlyList<string>)[r.Column, r.Group, NumberText.Count(r.Rows),
                    r.TruePositiveRate is { } tpr ? NumberText.Format(tpr) : "No actual positives", NumberText.Format(r.SelectionRate), VerdictText(r.Verdict)])],
                new HashSet<int> { 2, 3, 4 }),
        ],
    };
}
