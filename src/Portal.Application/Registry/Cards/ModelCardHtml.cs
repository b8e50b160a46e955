using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Portal.Application.Registry.Cards;

/// <summary>
/// The card as one printable HTML page: self-contained (inline CSS with print rules, no script, no external resource, no
/// link off the page), every text HTML-encoded, and a Content-Security-Policy in the page itself that forbids scripts,
/// so the file stays inert when opened from disk, as it is when served with <see cref="ContentSecurityPolicy"/>.
/// </summary>
public static class ModelCardHtml
{
    public const string ContentType = "text/html; charset=utf-8";

    /// <summary>Nothing but the page's own inline styles: no script, no fetch, no form, no frame, no base.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    // Letters of every script stay readable in the source; markup characters and quotes are always encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private const string Style = """
        :root { color-scheme: light; }
        body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1b1f24; margin: 2rem auto; max-width: 60rem; padding: 0 1.5rem; }
        h1 { font-size: 1.7rem; margin: 0 0 .25rem; }
        h2 { font-size: 1.25rem; border-bottom: 2px solid #1f4e8c; padding-bottom: .2rem; margin: 2rem 0 .75rem; }
        h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
        p { margin: .5rem 0; }
        .note, .unwritten { color: #5a6270; font-style: italic; }
        .edited { color: #5a6270; font-size: .9rem; }
        .written p { overflow-wrap: anywhere; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
        caption { text-align: left; color: #5a6270; font-size: .85rem; padding-bottom: .25rem; }
        th, td { border: 1px solid #c9ced6; padding: .3rem .5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
        thead th { background: #eef2f7; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        @page { margin: 18mm 15mm; }
        @media print {
          body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
          h2 { break-after: avoid; page-break-after: avoid; }
          h3 { break-after: avoid; page-break-after: avoid; }
          table, tr { break-inside: avoid; page-break-inside: avoid; }
          thead { display: table-header-group; }
          thead th { background: none; }
        }
        """;

    public static string Render(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var title = "Model card: " + card.Facts.Title;
        var html = new StringBuilder(16 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(Encode(ContentSecurityPolicy)).Append("\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n<style>\n").Append(Style).Append("\n</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(Encode(title)).Append("</h1>\n");
        foreach (var part in ModelCardLayout.Parts(card))
        {
            html.Append("<section id=\"").Append(Encode(part.Id)).Append("\"").Append(part.Written is null ? "" : " class=\"written\"").Append(">\n<h2>")
                .Append(Encode(part.Title)).Append("</h2>\n");
            if (part.Written is { } written)
            {
                AppendWritten(html, written);
            }
            else
            {
                foreach (var block in part.Blocks)
                {
                    Append(html, block);
                }
            }

            html.Append("</section>\n");
        }

        return html.Append("</body>\n</html>\n").ToString();
    }

    public static string Encode(string text) => Encoder.Encode(text);

    private static void AppendWritten(StringBuilder html, ModelCardSectionText written)
    {
        if (!written.IsWritten)
        {
            html.Append("<p class=\"unwritten\">").Append(Encode(ModelCardLayout.NotWritten)).Append("</p>\n");
            return;
        }

        foreach (var paragraph in ModelCardLayout.WrittenParagraphs(written.Text))
        {
            html.Append("<p>").AppendJoin("<br>", paragraph.Select(Encode)).Append("</p>\n");
        }

        if (written.EditedUtc is { } edited)
        {
            html.Append("<p class=\"edited\">").Append(Encode($"Last edited by {written.EditedByName} on {ModelCardLayout.Time(edited)} (revision {written.Revision}).")).Append("</p>\n");
        }
    }

    private static void Append(StringBuilder html, CardBlock block)
    {
        switch (block)
        {
            case CardSubheading heading:
                html.Append("<h3>").Append(Encode(heading.Text)).Append("</h3>\n");
                break;
            case CardParagraph paragraph:
                html.Append("<p>").Append(Encode(paragraph.Text)).Append("</p>\n");
                break;
            case CardNote note:
                html.Append("<p class=\"note\">").Append(Encode(note.Text)).Append("</p>\n");
                break;
            case CardTable table:
                AppendTable(html, table);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(block), block.GetType().Name, "Not a card block.");
        }
    }

    private static void AppendTable(StringBuilder html, CardTable table)
    {
        html.Append("<table>\n<caption>").Append(Encode(table.Caption)).Append("</caption>\n<thead><tr>");
        for (var i = 0; i < table.Headers.Count; i++)
        {
            html.Append("<th scope=\"col\"").Append(table.NumericColumns.Contains(i) ? " class=\"num\"" : "").Append('>').Append(Encode(table.Headers[i])).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < table.Headers.Count; i++)
            {
                var cell = Encode(i < row.Count ? row[i] : "");
                // The first column names the row (the fact, the class, the column): a row header for screen readers.
                html.Append(i == 0 ? "<th scope=\"row\">" : table.NumericColumns.Contains(i) ? "<td class=\"num\">" : "<td>").Append(cell).Append(i == 0 ? "</th>" : "</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }
}
