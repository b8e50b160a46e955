using System.Text;

namespace Portal.Application.Registry.Cards;

/// <summary>
/// The card as CommonMark with GitHub's pipe tables. Every text that is not the card's own wording (names people chose,
/// written sections, diagnostic messages) is escaped, so it reads as the text it is and can never become structure: no
/// heading, list, quote, code, HTML, link or extra table column comes out of it.
/// </summary>
public static class ModelCardMarkdown
{
    public const string ContentType = "text/markdown; charset=utf-8";

    /// <summary>ASCII punctuation that means something anywhere in a line (CommonMark inlines, GFM tables and strikethrough, entities).</summary>
    private const string InlineSpecials = "\\`*_[]<>|#&~";

    /// <summary>Characters that start a block when first on a line (heading, setext underline, list, quote, fenced code).</summary>
    private const string LineStartSpecials = "#=-+>";

    public static string Render(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var md = new StringBuilder();
        md.Append("# Model card: ").Append(Inline(card.Facts.Title)).Append("\n\n");
        foreach (var part in ModelCardLayout.Parts(card))
        {
            md.Append("## ").Append(Inline(part.Title)).Append("\n\n");
            if (part.Written is { } written)
            {
                md.Append(written.IsWritten ? Paragraphs(written.Text) : "*" + ModelCardLayout.NotWritten + "*").Append("\n\n");
                if (written.IsWritten && written.EditedUtc is { } edited)
                {
                    md.Append('*').Append(Inline($"Last edited by {written.EditedByName} on {ModelCardLayout.Time(edited)} (revision {written.Revision}).")).Append("*\n\n");
                }

                continue;
            }

            foreach (var block in part.Blocks)
            {
                Append(md, block);
            }
        }

        return md.ToString();
    }

    private static void Append(StringBuilder md, CardBlock block)
    {
        switch (block)
        {
            case CardSubheading heading:
                md.Append("### ").Append(Inline(heading.Text)).Append("\n\n");
                break;
            case CardParagraph paragraph:
                md.Append(Cell(paragraph.Text)).Append("\n\n");
                break;
            case CardNote note:
                md.Append('*').Append(Cell(note.Text)).Append("*\n\n");
                break;
            case CardTable table:
                AppendTable(md, table);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(block), block.GetType().Name, "Not a card block.");
        }
    }

    private static void AppendTable(StringBuilder md, CardTable table)
    {
        md.Append('|');
        foreach (var header in table.Headers)
        {
            md.Append(' ').Append(Cell(header)).Append(" |");
        }

        md.Append("\n|");
        for (var i = 0; i < table.Headers.Count; i++)
        {
            md.Append(table.NumericColumns.Contains(i) ? " ---: |" : " --- |");
        }

        md.Append('\n');
        foreach (var row in table.Rows)
        {
            md.Append('|');
            for (var i = 0; i < table.Headers.Count; i++)
            {
                md.Append(' ').Append(Cell(i < row.Count ? row[i] : "")).Append(" |");
            }

            md.Append('\n');
        }

        md.Append('\n');
    }

    /// <summary>Text inside a line: every inline special escaped with a backslash (CommonMark lets any ASCII punctuation be escaped).</summary>
    public static string Inline(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (InlineSpecials.Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>One table cell or one generated line: inline-escaped, line breaks and surrounding blanks folded into single spaces.</summary>
    public static string Cell(string text) => Inline(string.Join(' ', ModelCardLayout.Lines(text).Select(l => l.Trim()).Where(l => l.Length > 0)));

    /// <summary>
    /// Written text as paragraphs: blank lines separate paragraphs, other line breaks stay (hard breaks), and each line is
    /// escaped so that nothing at its start (a <c>#</c>, <c>=</c>, <c>-</c>, <c>+</c>, <c>&gt;</c>, a number and a dot, an
    /// indent) starts a block.
    /// </summary>
    public static string Paragraphs(string text) =>
        // A backslash at the end of a line is a hard line break; the line's own backslashes are escaped, so none is left bare.
        string.Join("\n\n", ModelCardLayout.WrittenParagraphs(text).Select(p => string.Join("\\\n", p.Select(line => EscapeLineStart(Inline(line))))));

    private static string EscapeLineStart(string line)
    {
        if (LineStartSpecials.Contains(line[0], StringComparison.Ordinal))
        {
            return "\\" + line;
        }

        // "1. " or "1) " starts an ordered list.
        var digits = 0;
        while (digits < line.Length && char.IsAsciiDigit(line[digits]))
        {
            digits++;
        }

        return digits > 0 && digits < line.Length && line[digits] is '.' or ')' ? line[..digits] + "\\" + line[digits..] : line;
    }
}
