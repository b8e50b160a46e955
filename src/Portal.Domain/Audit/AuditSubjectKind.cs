namespace Portal.Domain.Audit;

/// <summary>
/// A kind of thing audit entries are about: the stored type name and the text people read. Only
/// <see cref="AuditSubjectKinds"/> creates them.
/// </summary>
public sealed record AuditSubjectKind
{
    internal AuditSubjectKind(string name, string displayText)
    {
        Name = name;
        DisplayText = displayText;
    }

    /// <summary>The stored type, e.g. <c>DatasetVersion</c>. Never change one: stored entries are hashed with it.</summary>
    public string Name { get; }

    public string DisplayText { get; }

    public override string ToString() => Name;
}
