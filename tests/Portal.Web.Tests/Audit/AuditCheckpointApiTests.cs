using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Audit;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Audit;

/// <summary>
/// Signed checkpoints through the API, against a real SQLite file of each test's own (several tests tamper with it the way an
/// attacker with write access to the database would). Development: the key is generated into the test's data folder.
/// </summary>
public sealed class AuditCheckpointApiTests : IAsyncLifetime
{
    private readonly ProofLimitFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task ASignedCheckpointIsPublishedAndConfirmedByVerify()
    {
        var dpo = await BrowserSession.SignInAsync(factory, DemoAccounts.Dpo);

        var signed = await dpo.PostAsync("/api/audit/checkpoints", null);
        var checkpoint = await signed.Content.ReadFromJsonAsync<JsonElement>();
        var report = await dpo.GetFromJsonAsync<JsonElement>("/api/audit/verify");

        Assert.Equal(HttpStatusCode.Created, signed.StatusCode);
        var id = checkpoint.GetProperty("id").GetInt64();
        var publishDirectory = factory.Services.GetRequiredService<AuditCheckpointKeys>().PublishDirectory;
        Assert.True(File.Exists(Path.Combine(publishDirectory, AuditCheckpointPublisher.FileName(id))));
        Assert.Single(Directory.GetFiles(publishDirectory, "public-key-*.pem"));
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "keys", AuditCheckpointKeys.DevelopmentKeyFile)));
        Assert.True(report.GetProperty("intact").GetBoolean());
        Assert.True(report.GetProperty("trustworthy").GetBoolean());
        Assert.Equal(1, report.GetProperty("checkpoints").GetProperty("confirmed").GetInt32());
        // The checkpoint's own record is the entry after the one it signs.
        Assert.Equal(AuditActions.AuditCheckpointSigned.Name,
            factory.QueryColumn("SELECT Action FROM AuditEntries WHERE Sequence = $s", ("$s", checkpoint.GetProperty("sequence").GetInt64() + 1)).Single());
    }

    [Fact]
    public async Task AHistoryRewrittenConsistentlyInTheDatabaseIsReportedAgainstTheCheckpoint()
    {
        var dpo = await BrowserSession.SignInAsync(factory, DemoAccounts.Dpo);
        var checkpoint = await (await dpo.PostAsync("/api/audit/checkpoints", null)).Content.ReadFromJsonAsync<JsonElement>();
        var signedSequence = checkpoint.GetProperty("sequence").GetInt64();

        RewriteFrom(3);
        var report = await dpo.GetFromJsonAsync<JsonElement>("/api/audit/verify");

        Assert.True(report.GetProperty("intact").GetBoolean(), "every hash was recomputed, so the chain alone looks intact");
        Assert.False(report.GetProperty("trustworthy").GetBoolean());
        var problems = report.GetProperty("checkpoints").GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Contains(problems, p => p.StartsWith($"Entry {signedSequence}'s hash differs from the hash signed in checkpoint #{checkpoint.GetProperty("id").GetInt64()} at ", StringComparison.Ordinal)
            && p.EndsWith("history was rewritten.", StringComparison.Ordinal));

        // The auditor's own copy of the checkpoint says the same.
        var verdict = await dpo.PostAsJsonAsync("/api/audit/checkpoints/verify", checkpoint);
        var body = await verdict.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, verdict.StatusCode);
        Assert.False(body.GetProperty("valid").GetBoolean());
        Assert.Equal("mismatch", body.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task ACheckpointDeletedFromTheDatabaseIsDetectedFromItsPublishedFile()
    {
        var dpo = await BrowserSession.SignInAsync(factory, DemoAccounts.Dpo);
        var checkpoint = await (await dpo.PostAsync("/api/audit/checkpoints", null)).Content.ReadFromJsonAsync<JsonElement>();

        using (var connection = factory.OpenDatabase())
        {
            Execute(connection, "DELETE FROM AuditCheckpoints;");
        }

        var report = await dpo.GetFromJsonAsync<JsonElement>("/api/audit/verify");

        Assert.False(report.GetProperty("trustworthy").GetBoolean());
        Assert.Contains(report.GetProperty("checkpoints").GetProperty("problems").EnumerateArray().Select(p => p.GetString()!),
            p => p.Contains($"#{checkpoint.GetProperty("id").GetInt64()}") && p.Contains("missing from the database: checkpoints were deleted"));
    }

    [Fact]
    public async Task AnAuditorsCheckpointIsAcceptedWhenGenuineAndRefusedWith400WhenForged()
    {
        var dpo = await BrowserSession.SignInAsync(factory, DemoAccounts.Dpo);
        var genuine = JsonNode.Parse(await (await dpo.PostAsync("/api/audit/checkpoints", null)).Content.ReadAsStringAsync())!.AsObject();
        using var otherKey = AuditSigningKey.Generate();
        var otherSigned = otherKey.Sign(genuine["sequence"]!.GetValue<long>(), genuine["headHash"]!.GetValue<string>(), DateTimeOffset.UtcNow);

        var valid = await dpo.PostAsJsonAsync("/api/audit/checkpoints/verify", genuine);
        var alteredHash = await dpo.PostAsJsonAsync("/api/audit/checkpoints/verify", With(genuine, "headHash", new string('0', 64)));
        var alteredSignature = await dpo.PostAsJsonAsync("/api/audit/checkpoints/verify", With(genuine, "signature", Flip(genuine["signature"]!.GetValue<string>())));
        var otherKeySigned = await dpo.PostAsJsonAsync("/api/audit/checkpoints/verify",
            With(With(genuine, "signature", otherSigned.Signature), "keyId", otherSigned.KeyId));
        var malformed = await dpo.PostAsJsonAsync("/api/audit/checkpoints/verify", With(genuine, "headHash", "not-a-hash"));

        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.True((await valid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("valid").GetBoolean());
        foreach (var refused in new[] { alteredHash, alteredSignature, otherKeySigned, malformed })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        Assert.Contains("not trusted", await alteredSignature.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OnlyAdministratorsAndTheDpoMaySignACheckpoint()
    {
        var scientist = await BrowserSession.SignInAsync(factory, DemoAccounts.Scientist);
        var before = factory.QueryColumn("SELECT COUNT(*) FROM AuditCheckpoints").Single();

        var response = await scientist.PostAsync("/api/audit/checkpoints", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, factory.QueryColumn("SELECT COUNT(*) FROM AuditCheckpoints").Single());
    }

    [Fact]
    public async Task TwoWorkersSigningTogetherSignTheHeadOnce()
    {
        var trail = factory.Services.GetRequiredService<AuditTrail>();
        var first = factory.Services.GetRequiredService<AuditCheckpoints>();
        // A second worker: its own service instance over the same database and key.
        var second = ActivatorUtilities.CreateInstance<AuditCheckpoints>(factory.Services);
        for (var round = 0; round < 5; round++)
        {
            await trail.WriteAsync(AuditActor.Service("writer"), AuditActions.SignInFailed, AuditSubject.User($"round-{round}"));

            var results = await Task.WhenAll(
                Task.Run(() => first.SignAsync(AuditActor.Service("worker-a"), onlyIfHeadMoved: true, CancellationToken.None)),
                Task.Run(() => second.SignAsync(AuditActor.Service("worker-b"), onlyIfHeadMoved: true, CancellationToken.None)));

            Assert.Single(results, r => r is { Succeeded: true, Value: not null });
        }

        var sequences = factory.QueryColumn("SELECT Sequence FROM AuditCheckpoints");
        Assert.Equal(5, sequences.Count);
        Assert.Equal(5, sequences.Distinct().Count());
        Assert.True((await trail.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task AnInclusionProofLetsAnAuditorRecomputeTheEntryUpToTheSignedHead()
    {
        var dpo = await BrowserSession.SignInAsync(factory, DemoAccounts.Dpo);
        var checkpoint = await (await dpo.PostAsync("/api/audit/checkpoints", null)).Content.ReadFromJsonAsync<JsonElement>();
        var head = checkpoint.GetProperty("sequence").GetInt64();
        var from = head - 2;

        var proof = await dpo.GetFromJsonAsync<JsonElement>($"/api/audit/entries/{from}/proof?checkpoint={checkpoint.GetProperty("id").GetInt64()}");

        // What docs/audit-proofs.md tells an auditor to do, with nothing but the proof and a SHA-256/ECDSA library.
        var entries = proof.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(3, entries.Count);
        string? previous = null;
        foreach (var entry in entries)
        {
            var canonical = entry.GetProperty("canonical").GetString()!;
            Assert.Equal(entry.GetProperty("hash").GetString(), Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
            Assert.Equal(entry.GetProperty("previousHash").GetString(), JsonDocument.Parse(canonical).RootElement.GetProperty("prev").GetString());
            if (previous is not null)
            {
                Assert.Equal(previous, entry.GetProperty("previousHash").GetString());
            }

            previous = entry.GetProperty("hash").GetString();
        }

        var signed = proof.GetProperty("checkpoint");
        Assert.Equal(signed.GetProperty("headHash").GetString(), previous);
        using var publicKey = ECDsa.Create();
        publicKey.ImportFromPem(proof.GetProperty("publicKeyPem").GetString());
        Assert.True(publicKey.VerifyData(Encoding.UTF8.GetBytes(signed.GetProperty("statement").GetString()!),
            Convert.FromBase64String(signed.GetProperty("signature").GetString()!), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.Contains($"headHash={previous}", signed.GetProperty("statement").GetString());
    }

    [Fact]
    public async Task AProofSpanningMoreEntriesThanAllowedIsRefusedWith400()
    {
        var dpo = await BrowserSession.SignInAsync(factory, DemoAccounts.Dpo);
        var checkpoint = await (await dpo.PostAsync("/api/audit/checkpoints", null)).Content.ReadFromJsonAsync<JsonElement>();

        var tooLong = await dpo.GetAsync($"/api/audit/entries/1/proof?checkpoint={checkpoint.GetProperty("id").GetInt64()}");
        var unknown = await dpo.GetAsync("/api/audit/entries/1/proof?checkpoint=999999");
        var after = await dpo.GetAsync($"/api/audit/entries/{checkpoint.GetProperty("sequence").GetInt64() + 1}/proof?checkpoint={checkpoint.GetProperty("id").GetInt64()}");

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains($"at most {ProofLimitFactory.MaxProofEntries}", await tooLong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode);
    }

    [Fact]
    public async Task TheJsonExportCarriesCanonicalFormsThatHashToTheStoredHashes()
    {
        var dpo = await BrowserSession.SignInAsync(factory, DemoAccounts.Dpo);
        await dpo.PostAsync("/api/audit/checkpoints", null);

        var response = await dpo.GetAsync("/api/audit/export?format=json");
        var export = await response.Content.ReadFromJsonAsync<JsonElement>();
        var bad = await dpo.GetAsync("/api/audit/export?format=xml");

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var entries = export.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(factory.QueryColumn("SELECT COUNT(*) FROM AuditEntries").Single(), entries.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(entries, e => Assert.Equal(e.GetProperty("hash").GetString(),
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(e.GetProperty("canonical").GetString()!)))));
        Assert.Single(export.GetProperty("checkpoints").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public void SubjectKindsWithAPageOfTheirOwnLinkToIt()
    {
        var id = Guid.NewGuid();

        Assert.Equal($"/runs/{id}", AuditSubjectLinksFor(AuditSubjectKinds.Run, id.ToString()));
        Assert.Equal($"/promotions/{id}", AuditSubjectLinksFor(AuditSubjectKinds.PromotionRequest, id.ToString()));
        Assert.Equal($"/rollouts/{id}", AuditSubjectLinksFor(AuditSubjectKinds.Rollout, id.ToString()));
        Assert.Equal("/alerts", AuditSubjectLinksFor(AuditSubjectKinds.MonitoringAlert, id.ToString()));
        Assert.Equal("/admin/users", AuditSubjectLinksFor(AuditSubjectKinds.User, "user-1"));
        Assert.Equal("/admin/webhooks", AuditSubjectLinksFor(AuditSubjectKinds.WebhookSubscription, id.ToString()));
        Assert.Equal("/audit#checkpoints", AuditSubjectLinksFor(AuditSubjectKinds.AuditCheckpoint, "3"));
        Assert.Equal("/dpo/erasure", AuditSubjectLinksFor(AuditSubjectKinds.ErasureRequest, id.ToString()));
        Assert.Equal("/lineage", AuditSubjectLinksFor(AuditSubjectKinds.LineageEvent, id.ToString()));
        Assert.Null(AuditSubjectLinksFor(AuditSubjectKinds.Run, "not-a-guid"));
    }

    [Fact]
    public void EverySubjectKindLinksSomewhere()
    {
        // Dataset versions, models and model versions are looked up per page of rows; every other kind links from its id alone.
        AuditSubjectKind[] lookedUp = [AuditSubjectKinds.DatasetVersion, AuditSubjectKinds.RegisteredModel, AuditSubjectKinds.ModelVersion];
        var id = Guid.NewGuid().ToString();

        var unlinked = AuditSubjectKinds.All.Except(lookedUp).Where(k => AuditSubjectLinksFor(k, id) is null).Select(k => k.Name).ToList();

        Assert.Empty(unlinked);
    }

    private static string? AuditSubjectLinksFor(AuditSubjectKind kind, string id) => Portal.Web.Features.Audit.AuditSubjectLinks.Direct(kind.Name, id);

    private static JsonObject With(JsonObject source, string property, string value)
    {
        var copy = source.DeepClone().AsObject();
        copy[property] = value;
        return copy;
    }

    private static string Flip(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        bytes[^2] ^= 0x11;
        return Convert.ToBase64String(bytes);
    }

    /// <summary>The attacker: drops the append-only trigger, changes entry <paramref name="from"/>'s details and recomputes every hash after it.</summary>
    private void RewriteFrom(long from)
    {
        using var connection = factory.OpenDatabase();
        Execute(connection, "DROP TRIGGER audit_entries_no_update;");
        var rows = new List<(long Sequence, DateTime Time, string Kind, string ActorId, string ActorName, string Action, string SubjectType, string SubjectId, string Details, string Previous, string Hash)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT Sequence, TimestampUtc, ActorKind, ActorId, ActorName, Action, SubjectType, SubjectId, DetailsJson, PreviousHash, Hash FROM AuditEntries ORDER BY Sequence";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8), reader.GetString(9), reader.GetString(10)));
            }
        }

        using var hasher = new AuditEntryHasher();
        var previous = rows.Single(r => r.Sequence == from - 1).Hash;
        foreach (var row in rows.Where(r => r.Sequence >= from))
        {
            var details = row.Sequence == from ? """{"rewritten":true}""" : row.Details;
            var hash = hasher.Hash(row.Sequence, row.Time, row.Kind, row.ActorId, row.ActorName, row.Action, row.SubjectType, row.SubjectId, details, previous);
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE AuditEntries SET DetailsJson = $d, PreviousHash = $p, Hash = $h WHERE Sequence = $s";
            update.Parameters.AddWithValue("$d", details);
            update.Parameters.AddWithValue("$p", previous);
            update.Parameters.AddWithValue("$h", hash);
            update.Parameters.AddWithValue("$s", row.Sequence);
            update.ExecuteNonQuery();
            previous = hash;
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed class ProofLimitFactory : PortalAppFactory
    {
        public const int MaxProofEntries = 5;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("AuditCheckpoints:MaxProofEntries", MaxProofEntries.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
