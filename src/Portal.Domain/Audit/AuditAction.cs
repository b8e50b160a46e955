namespace Portal.Domain.Audit;

/// <summary>
/// An audited action: the machine name stored in (and hashed into) every entry, and the text people read.
/// Only <see cref="AuditActions"/> creates them, so a feature can record nothing the audit page cannot name.
/// </summary>
public sealed record AuditAction
{
    internal AuditAction(string name, string displayText)
    {
        Name = name;
        DisplayText = displayText;
    }

    /// <summary>The stored name, e.g. <c>run.submitted</c>. Never change one: stored entries are hashed with it.</summary>
    public string Name { get; }

    /// <summary>What the audit page, the home page and the CSV export show, e.g. "Run submitted".</summary>
    public string DisplayText { get; }

    public override string ToString() => Name;
}
