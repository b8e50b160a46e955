using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Registry.Cards;
using Portal.Domain.Datasets;
using Portal.Domain.Diagnostics;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Statistics;

namespace Portal.Web.Tests.ModelCards;

/// <summary>The card's facts come from what the run stored: recipe, data and its classification, metrics, evaluation, diagnostics.</summary>
public sealed class ModelCardFactsTests(ModelCardsAppFactory factory) : IClassFixture<ModelCardsAppFactory>
{
    [Fact]
    public async Task TheFactsOfASeededRunStateItsRecipeDataMetricsEvaluationAndDiagnostics()
    {
        var (runId, datasetName) = await CardRunSeeder.SeedAsync(factory);
        var versionId = ModelVersionId.New(DateTimeOffset.UtcNow);

        var facts = await factory.Services.GetRequiredService<ModelCardFactsBuilder>().BuildAsync(versionId, runId, new ModelCardInputs("churn", 3, ModelStage.Staging), CancellationToken.None);

        Assert.NotNull(facts);
        Assert.Equal("churn v3", facts.Title);
        Assert.Equal(MlTask.Binary, facts.Task);
        Assert.Equal("card-facts", facts.ExperimentName);
        Assert.Equal(CardRunSeeder.Label, facts.LabelColumn);
        Assert.Equal("SdcaLogisticRegression", facts.Recipe.Trainer);
        Assert.Equal(0.2, facts.Recipe.ValidationFraction);
        Assert.Equal(7, facts.Recipe.Seed);
        Assert.Equal("5.0.1", facts.Recipe.LibraryVersion);
        Assert.Equal((48L, 12L), (facts.Recipe.TrainRows!.Value, facts.Recipe.ValidationRows!.Value));
        Assert.Contains(new ModelCardParameter("l2Regularization", "0.5"), facts.Recipe.Parameters);

        var dataset = facts.Dataset!;
        Assert.Equal((datasetName, 1, 60L), (dataset.Name, dataset.Version, dataset.Rows));
        Assert.Equal(["email", "age", "segment", "defaulted"], dataset.Columns.Select(c => c.Name));
        Assert.True(dataset.Columns[0].PersonalDataSuspected);
        Assert.Equal(ColumnType.Numeric, dataset.Columns[1].Type);
        Assert.True(dataset.Columns[3].IsLabel);
        Assert.All(dataset.Columns, c => Assert.Equal(DataClassification.Unclassified, c.Classification));

        // The final values only (no curve keys), primary metric first, named and directed by the catalogue.
        Assert.Equal(["areaUnderRocCurve", "accuracy", "logLoss"], facts.Metrics.Select(m => m.Key));
        Assert.Equal(("AUC (ROC)", 0.812345, "higher is better"), (facts.Metrics[0].DisplayName, facts.Metrics[0].Value, facts.Metrics[0].DirectionText));

        Assert.Equal(CardRunSeeder.Matrix.Classes, facts.Evaluation!.ConfusionMatrix!.Classes);
        Assert.Equal([5.0, 1.0], facts.Evaluation.ConfusionMatrix.Counts[0]);
        Assert.Equal(["no", "yes"], facts.Evaluation.PerClass.Select(c => c.Class));
        Assert.Equal([new ModelCardDiagnostic("ClassImbalance", DiagnosticSeverity.Warning, "The label | is imbalanced: 25 % yes.")], facts.Diagnostics);
        Assert.Null(facts.FeatureImportance);
        Assert.Null(facts.Fairness);
    }

    [Fact]
    public async Task TheCardSaysInWordsWhatIsNotComputedYetAndShowsTheEvidenceOnceSupplied()
    {
        var (runId, _) = await CardRunSeeder.SeedAsync(factory);
        var cards = factory.Services.GetRequiredService<ModelCardReader>();
        var versionId = ModelVersionId.New(DateTimeOffset.UtcNow);

        var bare = (await cards.GetAsync(versionId, runId, null, CancellationToken.None))!;
        var evidence = new ModelCardInputs("churn", 2, ModelStage.Production,
            new FeatureImportance("areaUnderRocCurve", [new("age", -0.031, 0.004), new("segment", -0.12, 0.01)]),
            [.. FairnessRow.From(GroupFairness.Evaluate("segment", ["a", "a", "b", "b"], [true, false, true, false], [true, false, false, false], new FairnessBounds(MinGroupRows: 1)))]);
        var full = (await cards.GetAsync(versionId, runId, evidence, CancellationToken.None))!;

        var bareMarkdown = ModelCardMarkdown.Render(bare);
        Assert.Contains(ModelCardLayout.NotComputedFeatureImportance, bareMarkdown);
        Assert.Contains(ModelCardLayout.NotComputedFairness, bareMarkdown);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(bareMarkdown, System.Text.RegularExpressions.Regex.Escape(ModelCardLayout.NotWritten)));

        var markdown = ModelCardMarkdown.Render(full);
        Assert.DoesNotContain("Not computed yet", markdown);
        // Largest change first, numbers for people.
        Assert.Contains("| segment | -0.12 | 0.01 |", markdown);
        Assert.True(markdown.IndexOf("| segment | -0.12", StringComparison.Ordinal) < markdown.IndexOf("| age | -0.031", StringComparison.Ordinal));
        Assert.Contains("| segment | a | 2 | 1 | 0.5 | Breached |", markdown);
        Assert.Contains("| AUC (ROC) | 0.8123 | higher is better |", markdown);
        Assert.Contains("| no | 5 | 1 |", markdown);
        Assert.Contains("| Warning | ClassImbalance | The label \\| is imbalanced: 25 % yes. |", markdown);
        Assert.Contains("| email | Text | Feature | Yes", markdown);
    }

    [Fact]
    public async Task AnUnknownRunHasNoCard()
    {
        var cards = factory.Services.GetRequiredService<ModelCardReader>();

        Assert.Null(await cards.GetAsync(ModelVersionId.New(DateTimeOffset.UtcNow), new RunId(Guid.NewGuid()), null, CancellationToken.None));
    }
}
