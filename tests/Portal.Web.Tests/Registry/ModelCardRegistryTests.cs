using System.Net;
using Portal.Domain.Runs;
using Portal.Ml.Governance;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Registry;

/// <summary>
/// A registered version's model card served from the registry: the facts of its run, plus the feature importance and fairness
/// of the latest frozen evidence of its promotion; "not computed yet" before any evaluation.
/// </summary>
public sealed class ModelCardRegistryTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    private readonly RegistryDriver driver = new(factory);

    [Fact]
    public async Task TheCardCarriesTheFrozenEvidencesImportanceOnceEvaluatedAndSaysNotYetBefore()
    {
        var scientist = await driver.ScientistAsync();
        var model = await RegistryDriver.ModelWithVersionsAsync(scientist, 1, "card");

        var before = await scientist.GetStringAsync($"/api/models/{model}/versions/1/card.md");
        Assert.Contains("not computed yet", before, StringComparison.OrdinalIgnoreCase);

        var request = await RegistryDriver.RequestAsync(scientist, model, 1);
        await driver.EvaluateAsync(request, evaluation: Evaluation());

        var markdown = await scientist.GetAsync($"/api/models/{model}/versions/1/card.md");
        Assert.Equal(HttpStatusCode.OK, markdown.StatusCode);
        Assert.Equal("text/markdown", markdown.Content.Headers.ContentType?.MediaType);
        var text = await markdown.Content.ReadAsStringAsync();
        Assert.Contains("| debt\\_ratio | 0.1234 | 0.0101 |", text); // Markdown escapes the underscore
        var html = await scientist.GetAsync($"/api/models/{model}/versions/1/card.html");
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains("debt_ratio", await html.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await scientist.GetAsync($"/api/models/{model}/versions/9/card.md")).StatusCode);
    }

    [Fact]
    public void TheCardReadsTheEvaluationOfAFrozenSnapshotInItsCanonicalForm()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new { gates = Array.Empty<object>(), evaluation = Evaluation() },
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } });
        var canonical = Portal.Domain.Registry.EvidenceHash.CanonicalizeJson(json);

        var read = Portal.Web.Features.Registry.ModelCardSource.Read(canonical);

        Assert.NotNull(read);
        Assert.Equal("debt_ratio", read.FeatureImportance.Columns[0].Column);
    }

    private static PromotionEvidence Evaluation() => new(
        MlTask.Binary,
        "label",
        new EvaluationRowsSummary(200, null, "all 200 rows of the hold-out file"),
        new ModelEvidence("LinearBinaryModelParameters", [new NamedMetric("areaUnderRocCurve", 0.81)], null, [], null),
        null,
        new QualityEvidence("areaUnderRocCurve", false, true, "The challenger reaches every threshold.", 0, 0.95, null, null, null, null, []),
        new FeatureImportanceEvidence("areaUnderRocCurve", 3, 200,
            [new ColumnImportance("debt_ratio", 0.1234, 0.0101, 1), new ColumnImportance("income", 0.0456, 0.002, 1)], "one slot per column"),
        new PredictionExplanation(0, false, "Not computed in this test.", "", []),
        new FairnessEvidence(null, "No column is classified as special category or marked sensitive.", []),
        []);
}
