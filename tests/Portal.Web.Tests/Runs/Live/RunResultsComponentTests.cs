using System.Text.Json;
using Bunit;
using Portal.Ml.Evaluation;
using Portal.Web.Features.Runs.Live;
using Portal.Domain.Formatting;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Runs.Live;

/// <summary>What a finished run shows: diagnostic evidence people can read, the confusion matrix, residuals, numbers for people.</summary>
public sealed class RunResultsComponentTests : ComponentTestContext
{
    [Fact]
    public void EvidenceRendersAsLabelledValuesWithNumbersForPeopleAndNoRawJson()
    {
        using var evidence = JsonDocument.Parse("""
            {"bestValidationStep":12,"lastValidationLoss":0.0140000001,"relativeGap":1.4561403508771928,"minimumLoss":2734.56,
             "column":"income","classCounts":{"yes":40,"no":960},"smallestClassRows":null}
            """);

        var cut = Render<DiagnosticEvidence>(p => p.Add(c => c.Evidence, evidence.RootElement.Clone()));

        var terms = cut.FindAll("dl[data-testid=diagnostic-evidence] > dt").Select(e => e.TextContent).ToList();
        var values = cut.FindAll("dl[data-testid=diagnostic-evidence] > dd").Select(e => e.TextContent).ToList();
        Assert.Equal(["Best validation step", "Last validation loss", "Relative gap", "Minimum loss", "Column", "Class counts", "Smallest class rows"], terms);
        Assert.Equal(["12", "0.014", "1.456", "2,735", "income", "yes: 40, no: 960", "–"], values);
        Assert.DoesNotContain("{", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("\"", cut.Find("dl").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void TheEvidenceStyleWrapsLongValuesInsteadOfWideningThePage()
    {
        var css = File.ReadAllText(Path.Combine(RepositoryRoot(), "wwwroot-assets", "css", "portal.css"));

        var rule = css[css.IndexOf(".portal-evidence {", StringComparison.Ordinal)..];
        rule = rule[..rule.IndexOf('}', StringComparison.Ordinal)];
        Assert.Contains("overflow-wrap: anywhere", rule);
        Assert.Contains("minmax(0,", rule); // grid columns may shrink below their content's width
    }

    [Fact]
    public void TheConfusionMatrixLabelsActualAndPredictedClassesAndShadesByTheShareOfTheRow()
    {
        var matrix = new ConfusionMatrixData(["Adelie", "Gentoo", "Chinstrap"], [[48, 1, 1], [0, 37, 0], [3, 0, 17]]);

        var cut = Render<ConfusionMatrixTable>(p => p.Add(c => c.Matrix, matrix));

        var table = cut.Find("[data-testid=confusion-matrix]");
        Assert.Equal(["actual ↓ · predicted →", "Adelie", "Gentoo", "Chinstrap"], table.QuerySelectorAll("thead th").Select(th => th.TextContent.Trim()));
        var rows = table.QuerySelectorAll("tbody tr").ToList();
        Assert.Equal(["Adelie", "Gentoo", "Chinstrap"], rows.Select(r => r.QuerySelector("th")!.TextContent));
        Assert.Equal(["48", "1", "1"], rows[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        // 48 of 50 Adelie rows: dark, with light text; 1 of 50: pale.
        Assert.Contains("rgba(31, 78, 140, 0.867)", rows[0].QuerySelectorAll("td")[0].GetAttribute("style"));
        Assert.Contains("color: #fff", rows[0].QuerySelectorAll("td")[0].GetAttribute("style"));
        Assert.Contains("rgba(31, 78, 140, 0.096)", rows[0].QuerySelectorAll("td")[1].GetAttribute("style"));
        Assert.Contains("actual Chinstrap, predicted Adelie: 15 % of the row", rows[2].QuerySelectorAll("td")[0].GetAttribute("title"));
    }

    [Fact]
    public void PerClassMetricsShowPrecisionRecallF1AndSupport()
    {
        var cut = Render<PerClassMetricsTable>(p => p.Add(c => c.Classes, [new PerClassMetrics("yes", 0.8, 0.5, 1200)]));

        Assert.Equal(["yes", "0.8", "0.5", "0.6154", "1,200"], cut.FindAll("[data-testid=per-class-metrics] tbody td").Select(td => td.TextContent));
    }

    [Fact]
    public void TheResidualSummaryShowsTheErrorsAndAHistogramBarPerBin()
    {
        var residuals = ResidualSummary.Of([(10, 12), (5, 6), (3, 3), (8, 7), (9, 5)])!;

        var cut = Render<ResidualSummaryView>(p => p.Add(c => c.Residuals, residuals));

        var text = cut.Find("[data-testid=residual-summary]").TextContent;
        Assert.Contains("Medianabsoluteerror1", text.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
        Assert.Contains("(predicts too low on average)", text);
        Assert.Equal(ResidualSummary.HistogramBins, cut.FindAll("[data-testid=residual-histogram] .portal-histogram-bar").Count);
    }

    [Fact]
    public void ACurveInThousandsLabelsItsAxisAndLegendWithoutENotation()
    {
        IReadOnlyDictionary<string, List<Portal.Web.Features.Runs.Queries.CurvePoint>> curves = new Dictionary<string, List<Portal.Web.Features.Runs.Queries.CurvePoint>>
        {
            ["validation.rootMeanSquaredError"] = [new(0, 5400), new(1, 3900), new(2, 2734.56)],
        };

        var cut = Render<LearningCurveChart>(p => p.Add(c => c.Curves, curves));

        Assert.DoesNotContain("E+", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("(last 2,735)", cut.Markup);
    }

    [Theory]
    [InlineData(2734.56, "2,735")]
    [InlineData(0.91, "0.91")]
    [InlineData(0.0057, "0.0057")]
    [InlineData(12.34567, "12.35")]
    [InlineData(100, "100")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(1.2e-7, "1.2 × 10⁻⁷")]
    [InlineData(4.5e13, "4.5 × 10¹³")]
    public void NumbersAreWrittenForPeopleNeverInENotation(double value, string expected) =>
        Assert.Equal(expected, NumberText.Format(value));

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Portal.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Portal.sln not found above the test's folder.");
    }
}
