using Bunit;
using Portal.Domain.Registry;
using Portal.Web.Features.Registry;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Components.Registry;

/// <summary>The evidence a manager reads, from the frozen JSON the worker stores (in its canonical form).</summary>
public sealed class EvidenceViewTests : ComponentTestContext
{
    [Fact]
    public void ShowsTheQualitySentenceBothModelsMetricsTheirConfusionMatricesSideBySideImportanceAndFairness()
    {
        var json = EvidenceHash.CanonicalizeJson(EvidenceSamples.Binary());

        var cut = Render<EvidenceView>(p => p.Add(v => v.Json, json));

        Assert.Contains("better by 4.0 points of AUC", cut.Find("[data-testid=evidence-sentence]").TextContent);
        Assert.Contains("all 400 rows of the hold-out file", cut.Find("[data-testid=evidence-rows]").TextContent);
        var metrics = cut.Find("[data-testid=evidence-metrics]").TextContent;
        Assert.Contains("0.86", metrics);
        Assert.Contains("0.82", metrics);
        Assert.Equal(2, cut.FindAll("[data-testid=evidence-confusion] [data-testid=confusion-matrix]").Count);
        Assert.Contains("Tenure", cut.Find("[data-testid=evidence-importance]").TextContent);
        Assert.Contains("± 0.01", cut.Find("[data-testid=evidence-importance]").TextContent);
        var fairness = cut.Find("[data-testid=evidence-fairness]").TextContent;
        Assert.Contains("Gender", fairness);
        Assert.Contains("within bounds", fairness);
    }

    [Fact]
    public void EvidenceNotYetFrozenSaysWhenItWillAppear()
    {
        var cut = Render<EvidenceView>(p => p.Add(v => v.Json, null));

        Assert.Contains("appears when the evaluation is done", cut.Find("[data-testid=evidence-none]").TextContent);
    }
}
