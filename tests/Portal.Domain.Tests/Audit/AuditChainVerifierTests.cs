using System.Reflection;
using Portal.Domain.Audit;

namespace Portal.Domain.Tests.Audit;

public sealed class AuditChainVerifierTests
{
    [Fact]
    public void IntactChainVerifiesEveryEntry()
    {
        var (broken, result) = Verify(AuditEntryBuilder.Chain(5));

        Assert.Null(broken);
        Assert.True(result.Intact);
        Assert.Equal(5, result.EntriesVerified);
        Assert.Null(result.BrokenAtSequence);
    }

    [Fact]
    public void EmptyChainIsIntact()
    {
        var (_, result) = Verify([]);

        Assert.True(result.Intact);
        Assert.Equal(0, result.EntriesVerified);
    }

    [Fact]
    public void AlteredDetailsAreReportedAtTheAlteredEntry()
    {
        var chain = AuditEntryBuilder.Chain(5);
        SetProperty(chain[2], nameof(AuditEntry.DetailsJson), """{"n":999}""");

        var (_, result) = Verify(chain);

        Assert.False(result.Intact);
        Assert.Equal(3, result.BrokenAtSequence);
        Assert.Equal(2, result.EntriesVerified);
        Assert.Contains("altered", result.Reason);
    }

    [Fact]
    public void AlteredEntryWithRecomputedHashBreaksTheNextLink()
    {
        var chain = AuditEntryBuilder.Chain(5);
        SetProperty(chain[1], nameof(AuditEntry.ActorName), "someone-else");
        SetProperty(chain[1], nameof(AuditEntry.Hash), chain[1].ComputeHash());

        var (_, result) = Verify(chain);

        Assert.Equal(3, result.BrokenAtSequence);
        Assert.Contains("does not link", result.Reason);
    }

    [Fact]
    public void MissingEntryIsReported()
    {
        var chain = AuditEntryBuilder.Chain(5);
        chain.RemoveAt(3);

        var (_, result) = Verify(chain);

        Assert.False(result.Intact);
        Assert.Equal(5, result.BrokenAtSequence);
        Assert.Contains("Entry 4 is missing", result.Reason);
    }

    [Fact]
    public void SealingRefusesSequenceZero()
    {
        var entry = AuditEntry.Record(DateTimeOffset.UtcNow, AuditActor.Service("t"), AuditActions.UserCreated, AuditSubject.User("1"));

        Assert.Throws<ArgumentOutOfRangeException>(() => entry.Seal(0, AuditCanonicalForm.GenesisHash));
    }

    private static (AuditChainBreak?, AuditVerification) Verify(IEnumerable<AuditEntry> entries)
    {
        var verifier = new AuditChainVerifier();
        AuditChainBreak? broken = null;
        foreach (var entry in entries)
        {
            broken = verifier.Next(entry);
            if (broken is not null)
            {
                break;
            }
        }

        return (broken, verifier.Complete(broken, DateTimeOffset.UtcNow));
    }

    // Stands in for someone editing the row in the database behind the application's back.
    private static void SetProperty(AuditEntry entry, string name, object value) =>
        typeof(AuditEntry).GetProperty(name, BindingFlags.Public | BindingFlags.Instance)!.SetValue(entry, value);
}
