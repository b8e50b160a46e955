using AngleSharp.Html.Parser;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Portal.Application.Registry.Cards;
using MarkdigTable = Markdig.Extensions.Tables.Table;

namespace Portal.Web.Tests.ModelCards;

/// <summary>
/// What people write, and names they chose, reach the card as text and never as structure: the Markdown (read by a CommonMark
/// parser with pipe tables) keeps its headings and tables, the HTML page runs nothing.
/// </summary>
public sealed class ModelCardRenderingTests
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().Build();

    [Fact]
    public void HostileSectionTextStaysOneParagraphOfPlainTextInTheMarkdown()
    {
        var card = SampleCards.Card(SampleCards.Hostile);

        var document = Markdown.Parse(ModelCardMarkdown.Render(card), Pipeline);

        // The card's headings and nothing else: the text's "# not a heading" and "===" made none.
        Assert.Equal(["Model card: churn v3", .. ModelCardLayout.Parts(card).SelectMany(p => p.Blocks.OfType<CardSubheading>().Select(h => h.Text).Prepend(p.Title))],
            document.Descendants<HeadingBlock>().Select(Text));
        var section = BlocksUnder(document, "Intended use");
        var paragraph = Assert.IsType<ParagraphBlock>(section[0]);
        Assert.IsType<EmphasisInline>(Assert.IsType<ParagraphBlock>(section[1]).Inline!.FirstChild); // "Last edited by ..."
        Assert.Equal(2, section.Count);
        Assert.Equal(SampleCards.ReadLines(SampleCards.Hostile), Text(paragraph).Split('\n'));
        var inline = paragraph.Inline!;
        Assert.Empty(inline.Descendants<HtmlInline>());
        Assert.Empty(inline.Descendants<LinkInline>());
        Assert.Empty(inline.Descendants<CodeInline>());
        Assert.Empty(inline.Descendants<EmphasisInline>());
        Assert.Empty(document.Descendants<HtmlBlock>());
        Assert.Empty(document.Descendants<ListBlock>());
        Assert.Empty(document.Descendants<QuoteBlock>());
        Assert.Empty(document.Descendants<CodeBlock>());
    }

    [Fact]
    public void APipeOrALineBreakInANameOrMessageStaysInsideItsTableCell()
    {
        var card = SampleCards.Card("Plain.", columnName: "a|b <script>x</script> `c`", diagnostic: "Too few rows | here\n# and a heading\n| --- |");

        var document = Markdown.Parse(ModelCardMarkdown.Render(card), Pipeline);

        var tables = document.Descendants<MarkdigTable>().ToList();
        Assert.All(tables, t => Assert.All(t.Cast<TableRow>(), row => Assert.Equal(t.ColumnDefinitions.Count(c => c is not null), row.Count)));
        var columns = Rows(Under<MarkdigTable>(document, "Training data"));
        Assert.Equal(["Column", "Type", "Role", "Personal data suspected", "Classification"], columns[0]);
        Assert.Equal(["a|b <script>x</script> `c`", "Text", "Feature", "Yes: Looks like e-mail addresses | 97 %", "Personal data"], columns[1]);
        Assert.Equal(3, columns.Count);
        var diagnostics = Rows(Under<MarkdigTable>(document, "Diagnostics"));
        Assert.Equal(["Warning", "ClassImbalance", "Too few rows | here # and a heading | --- |"], diagnostics[1]);
        Assert.Equal(2, diagnostics.Count);
    }

    [Fact]
    public void TheMarkdownTablesAreCommonMarkPipeTablesWithNumbersRightAligned()
    {
        var markdown = ModelCardMarkdown.Render(SampleCards.Card("Rank applications."));

        Assert.Contains("| actual ↓ · predicted → | no | yes |\n| --- | ---: | ---: |\n| no | 150 | 10 |\n| yes | 12 | 28 |\n", markdown);
        Assert.Contains("| Validation fraction | 20 % of the rows held out |", markdown);
        var matrix = Rows(Under<MarkdigTable>(Markdown.Parse(markdown, Pipeline), "Confusion matrix"));
        Assert.Equal([["actual ↓ · predicted →", "no", "yes"], ["no", "150", "10"], ["yes", "12", "28"]], matrix);
    }

    [Fact]
    public void NoScriptSurvivesInThePrintablePageAndItLoadsNothingFromElsewhere()
    {
        var card = SampleCards.Card(SampleCards.Hostile, columnName: "<script>alert(2)</script>", modelName: "x\"><script>alert(3)</script>");

        var html = ModelCardHtml.Render(card);
        var page = new HtmlParser().ParseDocument(html);

        Assert.Empty(page.QuerySelectorAll("script, img, iframe, object, embed, link, base, form, a"));
        Assert.DoesNotContain(page.All.SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase) || a.Name is "src" or "href");
        Assert.Equal(SampleCards.ReadLines(SampleCards.Hostile), page.QuerySelectorAll("#intended-use p")[0].InnerHtml.Split("<br>").Select(Decode));
        Assert.Equal("<script>alert(2)</script>", page.QuerySelector("#training-data tbody th")!.TextContent);
        Assert.Equal("Model card: x\"><script>alert(3)</script> v3", page.Title);
        Assert.Contains("script-src 'none'", page.QuerySelector("meta[http-equiv=Content-Security-Policy]")!.GetAttribute("content"));
        Assert.Contains("@media print", page.QuerySelector("style")!.TextContent);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AnUnwrittenSectionAndMissingEvidenceAreSaidInWordsInBothForms()
    {
        var card = SampleCards.Card("");

        var markdown = ModelCardMarkdown.Render(card);
        var page = new HtmlParser().ParseDocument(ModelCardHtml.Render(card));

        Assert.Contains($"## Intended use\n\n*{ModelCardLayout.NotWritten}*", markdown);
        Assert.Contains($"*{ModelCardLayout.NotComputedFeatureImportance}*", markdown);
        Assert.Equal(ModelCardLayout.NotWritten, page.QuerySelector("#limitations p")!.TextContent);
        Assert.Equal(ModelCardLayout.NotComputedFairness, page.QuerySelector("#fairness p")!.TextContent);
    }

    private static string Decode(string html) => System.Net.WebUtility.HtmlDecode(html);

    /// <summary>The blocks between a level-2 heading and the next level-2 heading.</summary>
    private static List<Block> BlocksUnder(MarkdownDocument document, string heading)
    {
        var start = document.ToList().FindIndex(b => b is HeadingBlock { Level: 2 } h && Text(h) == heading);
        Assert.True(start >= 0, $"no heading '{heading}'");
        return [.. document.Skip(start + 1).TakeWhile(b => b is not HeadingBlock { Level: 2 })];
    }

    private static T Under<T>(MarkdownDocument document, string heading)
        where T : Block
    {
        var at = document.ToList().FindIndex(b => b is HeadingBlock h && Text(h) == heading);
        return document.Skip(at + 1).OfType<T>().First();
    }

    private static List<List<string>> Rows(MarkdigTable table) =>
        [.. table.Cast<TableRow>().Select(row => row.Cast<TableCell>().Select(cell => string.Concat(cell.Descendants<ParagraphBlock>().Select(Text))).ToList())];

    /// <summary>The text a reader sees: literals as written, line breaks as newlines.</summary>
    private static string Text(LeafBlock block) => block.Inline is null ? "" : string.Concat(block.Inline.Descendants<Inline>().Select(i => i switch
    {
        LiteralInline literal => literal.Content.ToString(),
        LineBreakInline => "\n",
        _ => "",
    }));
}
