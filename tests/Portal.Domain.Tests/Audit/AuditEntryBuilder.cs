using Portal.Domain.Audit;

namespace Portal.Domain.Tests.Audit;

/// <summary>Builds sealed, correctly chained audit entries for tests.</summary>
internal sealed class AuditEntryBuilder
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);

    public static List<AuditEntry> Chain(int count)
    {
        var entries = new List<AuditEntry>();
        var previous = AuditCanonicalForm.GenesisHash;
        for (var i = 1; i <= count; i++)
        {
            var entry = AuditEntry.Record(Start.AddMinutes(i), AuditActor.User($"user-{i}", $"user{i}@portal.local"),
                AuditActions.UserCreated, AuditSubject.User($"subject-{i}"), $$"""{"n":{{i}}}""");
            entry.Seal(i, previous);
            previous = entry.Hash;
            entries.Add(entry);
        }

        return entries;
    }
}
