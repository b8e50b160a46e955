using System.Globalization;
using System.Text;

namespace Portal.Domain.Text;

/// <summary>
/// The one rule for text the portal stores and shows to other people: every name (experiments, datasets, run param and
/// tag keys, display names, token names) and every free text (descriptions, param and tag values, failure reasons).
/// It refuses what makes stored text lie about itself on a screen, in a terminal or in an export: control characters
/// (NUL, ESC of an ANSI sequence, DEL, C1), bidirectional overrides and isolates (which reorder what follows them), lone
/// surrogates, and, in names, every other invisible formatting character, so two names that look alike are alike.
/// Free text keeps line breaks and tabs; names are one trimmed line.
/// </summary>
public static class TextRule
{
    /// <summary>
    /// What is wrong with <paramref name="value"/> as a name called <paramref name="field"/> (required, 1 to
    /// <paramref name="maxLength"/> characters after trimming), said so that the caller can fix it; null when it is valid.
    /// </summary>
    public static string? NameProblem(string field, string? value, int maxLength)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return $"{field} is required: 1 to {maxLength} characters.";
        }

        if (trimmed.Length > maxLength)
        {
            return $"{field} is at most {maxLength} characters; it has {trimmed.Length}.";
        }

        return CharacterProblem(field, trimmed, isName: true);
    }

    /// <summary>
    /// What is wrong with <paramref name="value"/> as free text called <paramref name="field"/> (optional, at most
    /// <paramref name="maxLength"/> characters, line breaks and tabs allowed); null when it is valid.
    /// </summary>
    public static string? FreeTextProblem(string field, string? value, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            return $"{field} is at most {maxLength} characters; it has {value.Length}.";
        }

        return CharacterProblem(field, value, isName: false);
    }

    /// <summary>
    /// The form under which two names count as the same (case, width, compatibility forms and joiners ignored): what a unique
    /// index on names compares. Only meaningful for a value <see cref="NameProblem"/> accepts.
    /// </summary>
    public static string NormalizedName(string name) =>
        name.Trim().Normalize(NormalizationForm.FormKC).Replace("\u200C", "", StringComparison.Ordinal).Replace("\u200D", "", StringComparison.Ordinal)
            .ToUpperInvariant();

    private static string? CharacterProblem(string field, string value, bool isName)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (Refusal(value, i, isName) is { } what)
            {
                return $"{field} cannot contain {what} (U+{(int)c:X4} at position {i + 1}){(isName ? "; a name is one line of visible characters" : "")}.";
            }
        }

        return null;
    }

    private static string? Refusal(string value, int i, bool isName)
    {
        var c = value[i];
        if (IsBidiControl(c))
        {
            return "a bidirectional control character, which reorders the text shown after it";
        }

        if (char.IsSurrogate(c))
        {
            return "a lone surrogate (not valid Unicode)";
        }

        if (c is '\n' or '\r' or '\t' && !isName)
        {
            return null;
        }

        if (c == '\u001b')
        {
            return "an escape character (terminal control sequence)";
        }

        if (char.IsControl(c))
        {
            return "a control character";
        }

        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        if (category is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
        {
            return isName ? "a line break" : null;
        }

        if (category == UnicodeCategory.Format && isName && !IsJoinerBetweenVisibleCharacters(value, i))
        {
            return "an invisible formatting character";
        }

        return null;
    }

    /// <summary>Left-to-right/right-to-left marks, embeddings, overrides and isolates (Unicode's Bidi_Control property).</summary>
    private static bool IsBidiControl(char c) =>
        c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>
    /// Zero-width (non-)joiners belong inside words of some scripts (Persian, Indic) and emoji sequences; at an edge or
    /// beside a space or another invisible character they only make two names look alike.
    /// </summary>
    private static bool IsJoinerBetweenVisibleCharacters(string value, int i) =>
        value[i] is '\u200C' or '\u200D' && i > 0 && i < value.Length - 1 && IsVisible(value[i - 1]) && IsVisible(value[i + 1]);

    private static bool IsVisible(char c) =>
        !char.IsWhiteSpace(c) && !char.IsControl(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format;
}
