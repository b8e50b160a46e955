using Portal.Domain.Audit;

namespace Portal.Domain.Tests.Audit;

public sealed class AuditCanonicalFormTests
{
    [Fact]
    public void HashIsLowercaseHexSha256OfUtf8()
    {
        // FIPS 180-2 reference value for "abc".
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", AuditCanonicalForm.Hash("abc"));
    }

    [Fact]
    public void DetailsAreCanonicalWhateverTheKeyOrderAndWhitespace()
    {
        var a = AuditCanonicalForm.CanonicalizeDetails("""{ "b": 1, "a": { "d": [1, {"z": 0, "y": 1}], "c": "x" } }""");
        var b = AuditCanonicalForm.CanonicalizeDetails("""{"a":{"c":"x","d":[1,{"y":1,"z":0}]},"b":1}""");

        Assert.Equal("""{"a":{"c":"x","d":[1,{"y":1,"z":0}]},"b":1}""", a);
        Assert.Equal(a, b);
    }

    [Fact]
    public void BlankDetailsBecomeAnEmptyObject()
    {
        Assert.Equal("{}", AuditCanonicalForm.CanonicalizeDetails(null));
        Assert.Equal("{}", AuditCanonicalForm.CanonicalizeDetails("  "));
    }

    [Fact]
    public void CanonicalFormHasFixedKeyOrderAndMicrosecondUtcTime()
    {
        var time = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234567);

        var canonical = AuditCanonicalForm.Build(7, time, AuditActor.User("u1", "ann@portal.local"), "user.created",
            AuditSubject.User("u2"), """{"a":1}""", AuditCanonicalForm.GenesisHash);

        Assert.Equal(
            """{"seq":7,"ts":"2026-01-02T03:04:05.123456Z","actorKind":"User","actorId":"u1","actorName":"ann@portal.local","action":"user.created","subjectType":"User","subjectId":"u2","details":{"a":1},"prev":"0000000000000000000000000000000000000000000000000000000000000000"}""",
            canonical);
    }

    [Fact]
    public void RecordedTimeIsTruncatedToTheMicrosecondBothDatabasesKeep()
    {
        var entry = AuditEntry.Record(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1234567),
            AuditActor.Service("test"), AuditActions.UserCreated, AuditSubject.User("1"));

        Assert.Equal(DateTimeKind.Utc, entry.TimestampUtc.Kind);
        Assert.Equal(1, entry.TimestampUtc.Hour);
        Assert.Equal(0, entry.TimestampUtc.Ticks % 10);
    }

    [Fact]
    public void ChangingAnyFieldChangesTheHash()
    {
        var baseline = AuditEntryBuilder.Chain(1)[0];
        var other = AuditEntry.Record(new DateTimeOffset(baseline.TimestampUtc), baseline.Actor, AuditActions.Find(baseline.Action)!, baseline.Subject, """{"n":2}""");
        other.Seal(1, AuditCanonicalForm.GenesisHash);

        Assert.NotEqual(baseline.Hash, other.Hash);
        Assert.Equal(64, baseline.Hash.Length);
    }

    [Fact]
    public void DetailsThatAreNotJsonAreRefused()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => AuditCanonicalForm.CanonicalizeDetails("{not json"));
    }
}
