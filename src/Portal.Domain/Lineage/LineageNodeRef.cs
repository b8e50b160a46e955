using System.Diagnostics.CodeAnalysis;

namespace Portal.Domain.Lineage;

/// <summary>A node of the lineage graph by kind and id; written <c>&lt;kind&gt;:&lt;id&gt;</c> (e.g. <c>run:0193…</c>).</summary>
public readonly record struct LineageNodeRef(LineageNodeKind Kind, string Id)
{
    /// <summary>Longest id a node may have (external namespace/name pairs included).</summary>
    public const int MaxIdLength = 400;

    public string Key => $"{LineageNames.Of(Kind)}:{Id}";

    public override string ToString() => Key;

    /// <summary>Parses <c>&lt;kind&gt;:&lt;id&gt;</c>; false with the reason when the kind is unknown or the id empty or too long.</summary>
    public static bool TryParse(string? text, out LineageNodeRef node, [NotNullWhen(false)] out string? problem)
    {
        node = default;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (text is null || colon <= 0)
        {
            problem = $"A node is written <kind>:<id>, with kind one of {string.Join(", ", LineageNames.NodeKindNames)}.";
            return false;
        }

        if (!LineageNames.TryParseNodeKind(text[..colon], out var kind))
        {
            problem = $"'{text[..Math.Min(colon, 40)]}' is not a node kind; the kinds are {string.Join(", ", LineageNames.NodeKindNames)}.";
            return false;
        }

        var id = text[(colon + 1)..];
        if (id.Length is 0 or > MaxIdLength)
        {
            problem = $"A node id has 1 to {MaxIdLength} characters.";
            return false;
        }

        node = new LineageNodeRef(kind, id);
        problem = null;
        return true;
    }
}
