using System.Security.Cryptography;
using Portal.Domain.Audit;

namespace Portal.Domain.Tests.Audit;

public sealed class AuditCheckpointTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 23, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ACheckpointSignedWithTheKeyVerifiesUnderItsPublicKey()
    {
        using var key = AuditSigningKey.Generate();
        var chain = AuditEntryBuilder.Chain(5);

        var checkpoint = key.Sign(5, chain[^1].Hash, Now);

        Assert.Null(key.PublicKey.Refusal(checkpoint));
        Assert.Equal(key.KeyId, checkpoint.KeyId);
        Assert.Equal(AuditCheckpointStatement.Algorithm, checkpoint.Algorithm);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(ExportSpki(key.PublicKey.Pem))), key.KeyId);
    }

    [Fact]
    public void AnAlteredSignatureIsRefused()
    {
        using var key = AuditSigningKey.Generate();
        var checkpoint = key.Sign(5, new string('a', 64), Now);
        var signature = Convert.FromBase64String(checkpoint.Signature);
        signature[^3] ^= 0x5a;

        var refusal = key.PublicKey.Refusal(checkpoint.Sequence, checkpoint.HeadHash, checkpoint.CreatedUtc, checkpoint.KeyId,
            checkpoint.Algorithm, Convert.ToBase64String(signature));

        Assert.NotNull(refusal);
    }

    [Fact]
    public void AnAlteredHeadHashOrSequenceIsRefused()
    {
        using var key = AuditSigningKey.Generate();
        var checkpoint = key.Sign(5, new string('a', 64), Now);

        Assert.Contains("does not match", key.PublicKey.Refusal(5, new string('b', 64), checkpoint.CreatedUtc, checkpoint.KeyId, checkpoint.Algorithm, checkpoint.Signature));
        Assert.Contains("does not match", key.PublicKey.Refusal(6, checkpoint.HeadHash, checkpoint.CreatedUtc, checkpoint.KeyId, checkpoint.Algorithm, checkpoint.Signature));
    }

    [Fact]
    public void ACheckpointSignedWithAnotherKeyIsRefusedEvenWhenItClaimsTheConfiguredKeyId()
    {
        using var configured = AuditSigningKey.Generate();
        using var attacker = AuditSigningKey.Generate();
        var forged = attacker.Sign(5, new string('a', 64), Now);
        // The attacker re-signs a statement naming the configured key id.
        var statement = AuditCheckpointStatement.Bytes(5, forged.HeadHash, forged.CreatedUtc, configured.KeyId);
        using var raw = ECDsa.Create();
        raw.ImportFromPem(attacker.ExportPrivateKeyPem());
        var claimed = Convert.ToBase64String(raw.SignData(statement, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

        Assert.Contains("not the configured checkpoint key", configured.PublicKey.Refusal(forged));
        Assert.Contains("does not match", configured.PublicKey.Refusal(5, forged.HeadHash, forged.CreatedUtc, configured.KeyId, forged.Algorithm, claimed));
    }

    [Fact]
    public void TheFastHasherGivesExactlyTheCanonicalFormsHash()
    {
        using var hasher = new AuditEntryHasher();
        foreach (var entry in AuditEntryBuilder.Chain(20))
        {
            var args = (entry.Sequence, DateTime.SpecifyKind(entry.TimestampUtc, DateTimeKind.Utc), entry.ActorKind.ToString(), entry.ActorId,
                entry.ActorName, entry.Action, entry.SubjectType, entry.SubjectId, entry.DetailsJson, entry.PreviousHash);

            Assert.Equal(entry.Hash, hasher.Hash(args.Item1, args.Item2, args.Item3, args.Item4, args.Item5, args.Item6, args.Item7, args.Item8, args.Item9, args.Item10));
            Assert.Equal(AuditCanonicalForm.Build(entry.Sequence, args.Item2, entry.Actor, entry.Action, entry.Subject, entry.DetailsJson, entry.PreviousHash),
                hasher.Canonical(args.Item1, args.Item2, args.Item3, args.Item4, args.Item5, args.Item6, args.Item7, args.Item8, args.Item9, args.Item10));
        }
    }

    [Fact]
    public void AConsistentlyRewrittenChainIsIntactButContradictsTheCheckpoint()
    {
        using var key = AuditSigningKey.Generate();
        var original = AuditEntryBuilder.Chain(10);
        var checkpoint = Known(key.Sign(8, original[7].Hash, Now), 1);
        var rewritten = Rewrite(original, atSequence: 4);

        var (chain, report) = Verify(key, rewritten, [checkpoint], [checkpoint with { Source = AuditCheckpointSource.Published }]);

        Assert.True(chain.Intact);
        Assert.False(report.Consistent);
        Assert.Contains(report.Problems, p => p.StartsWith("Entry 8's hash differs from the hash signed in checkpoint #1 at 2026-12-02T23:00:00.000000Z: history was rewritten", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUntouchedChainConfirmsEveryCheckpoint()
    {
        using var key = AuditSigningKey.Generate();
        var chain = AuditEntryBuilder.Chain(10);
        var first = Known(key.Sign(3, chain[2].Hash, Now), 1);
        var second = Known(key.Sign(9, chain[8].Hash, Now.AddHours(1)), 2);

        var (_, report) = Verify(key, chain, [first, second], [first, second]);

        Assert.True(report.Consistent, string.Join(" ", report.Problems));
        Assert.Equal(2, report.Confirmed);
        Assert.Equal(9, report.LastConfirmed!.Sequence);
    }

    [Fact]
    public void ACheckpointDeletedFromTheDatabaseIsNamedByItsPublishedCopy()
    {
        using var key = AuditSigningKey.Generate();
        var chain = AuditEntryBuilder.Chain(6);
        var published = Known(key.Sign(5, chain[4].Hash, Now), 7);

        var (_, report) = Verify(key, chain, [], [published with { Source = AuditCheckpointSource.Published }]);

        Assert.Contains(report.Problems, p => p.Contains("checkpoint #7", StringComparison.OrdinalIgnoreCase) && p.Contains("missing from the database: checkpoints were deleted"));
    }

    [Fact]
    public void AForgedCheckpointIsRefusedAndNeverTrusted()
    {
        using var key = AuditSigningKey.Generate();
        using var other = AuditSigningKey.Generate();
        var chain = AuditEntryBuilder.Chain(6);
        // Forged to match a rewritten chain: signed with another key that claims the configured key id.
        var forged = Known(other.Sign(5, chain[4].Hash, Now), 3) with { KeyId = key.KeyId };

        var (_, report) = Verify(key, chain, [forged], [forged]);

        Assert.Equal(0, report.Confirmed);
        Assert.Contains(report.Problems, p => p.Contains("is refused and not trusted"));
    }

    [Fact]
    public void EntriesCutFromTheEndAreNamedByALaterCheckpoint()
    {
        using var key = AuditSigningKey.Generate();
        var chain = AuditEntryBuilder.Chain(10);
        var checkpoint = Known(key.Sign(10, chain[9].Hash, Now), 1);

        var (intact, report) = Verify(key, chain.Take(7).ToList(), [checkpoint], [checkpoint]);

        Assert.True(intact.Intact);
        Assert.Contains(report.Problems, p => p.Contains("the chain ends at entry 7: entries were deleted from the end"));
    }

    private static KnownAuditCheckpoint Known(AuditCheckpoint checkpoint, long id) =>
        KnownAuditCheckpoint.From(checkpoint, AuditCheckpointSource.Database) with { Id = id };

    private static (AuditVerification Chain, AuditCheckpointReport Report) Verify(AuditSigningKey key, List<AuditEntry> entries,
        IEnumerable<KnownAuditCheckpoint> database, IEnumerable<KnownAuditCheckpoint> published)
    {
        var checker = new AuditCheckpointVerifier(key.PublicKey, database, published);
        var verifier = new AuditChainVerifier();
        AuditChainBreak? broken = null;
        foreach (var entry in entries)
        {
            broken = verifier.Next(entry);
            if (broken is not null)
            {
                break;
            }

            checker.Observe(entry.Sequence, entry.Hash);
        }

        var chain = verifier.Complete(broken, Now);
        return (chain, checker.Complete(chain));
    }

    /// <summary>What an attacker with write access does: changes one entry's details and recomputes every hash from there on.</summary>
    private static List<AuditEntry> Rewrite(List<AuditEntry> original, long atSequence)
    {
        var rewritten = new List<AuditEntry>();
        var previous = AuditCanonicalForm.GenesisHash;
        foreach (var entry in original)
        {
            var copy = AuditEntry.Record(new DateTimeOffset(DateTime.SpecifyKind(entry.TimestampUtc, DateTimeKind.Utc)), entry.Actor,
                AuditActions.Find(entry.Action)!, new AuditSubject(AuditSubjectKinds.Find(entry.SubjectType)!, entry.SubjectId),
                entry.Sequence == atSequence ? """{"n":"rewritten"}""" : entry.DetailsJson);
            copy.Seal(entry.Sequence, previous);
            previous = copy.Hash;
            rewritten.Add(copy);
        }

        return rewritten;
    }

    private static byte[] ExportSpki(string pem)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        return ecdsa.ExportSubjectPublicKeyInfo();
    }
}
