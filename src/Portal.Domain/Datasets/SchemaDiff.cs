namespace Portal.Domain.Datasets;

/// <summary>
/// How the schema changed between two dataset versions. Columns are matched by name, ignoring case (header names
/// are unique ignoring case); a renamed column shows as removed plus added, and moving a column is not a change.
/// Removing or retyping a column is breaking for models trained on the earlier version.
/// </summary>
public sealed record SchemaDiff(
    IReadOnlyList<ColumnSchema> Added,
    IReadOnlyList<ColumnSchema> Removed,
    IReadOnlyList<RetypedColumn> Retyped)
{
    public bool HasChanges => Added.Count > 0 || Removed.Count > 0 || Retyped.Count > 0;

    public bool IsBreaking => Removed.Count > 0 || Retyped.Count > 0;

    public bool IsCompatible => !IsBreaking;

    public static SchemaDiff Compare(IReadOnlyList<ColumnSchema> before, IReadOnlyList<ColumnSchema> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);

        var beforeByName = before.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var afterByName = after.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

        var added = after.Where(c => !beforeByName.ContainsKey(c.Name)).ToList();
        var removed = before.Where(c => !afterByName.ContainsKey(c.Name)).ToList();
        var retyped = after
            .Where(c => beforeByName.TryGetValue(c.Name, out var old) && old.Type != c.Type)
            .Select(c => new RetypedColumn(c.Name, beforeByName[c.Name].Type, c.Type))
            .ToList();

        return new SchemaDiff(added, removed, retyped);
    }
}
