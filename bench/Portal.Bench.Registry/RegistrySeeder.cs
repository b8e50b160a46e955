using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Bench.Api;
using Portal.Data;
using Portal.Domain.Datasets;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Security;

namespace Portal.Bench.Registry;

/// <summary>Who the seeded registry belongs to: the demo users the app seeded (ids), by role.</summary>
internal sealed record BenchPeople(string ScientistId, string ScientistName, string ManagerId, string Manager2Id, string OfficerId);

/// <summary>What the harness asks for: the seeded pending requests (with the hash each froze) and the model names.</summary>
internal sealed record SeededRegistry(IReadOnlyList<(PromotionRequestId Id, string EvidenceSha256)> Pending, IReadOnlyList<string> ModelNames, int EvidenceBytes);

/// <summary>
/// Fills a migrated database with a registry: one experiment and a bare succeeded run (with a model hash) per version,
/// inserted raw (prepared INSERTs, EF's storage formats, as bench/Portal.Bench.Api's Seeder); the registry itself through
/// the domain (RegisteredModel.Create/RegisterVersion/Apply, PromotionRequest.Create/CompleteEvaluation/SignOff/Approve,
/// PromotionEvidence.Freeze) and EF with change detection off, so every JSON column and every state is what the app writes.
/// Models with a pending request (and every third one) have a production history: version 1, then the middle version,
/// each approved on frozen evidence. Pending requests ask to promote the newest version; half wait for a DPO sign-off
/// (personal training columns), a quarter of those have it, and high-risk ones already carry one of their two approvals.
/// </summary>
internal static class RegistrySeeder
{
    private const int ModelsPerSave = 50;

    public static async Task<SeededRegistry> SeedAsync(string databasePath, IDbContextFactory<PortalDbContext> dbFactory, BenchPeople people, BenchEvidence evidence,
        int models, int versionsPerModel, int pending)
    {
        var clock = Stopwatch.StartNew();
        var start = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
        var runIds = await InsertRunsAsync(databasePath, people, models * versionsPerModel, start);
        var random = new Random(7);
        var pendingModels = Enumerable.Range(0, pending).Select(k => (int)((long)k * models / pending)).ToHashSet();
        var holdOut = new DatasetVersionId(Guid.CreateVersion7(start));
        var seeded = new List<(PromotionRequestId, string)>();
        var names = new List<string>();
        var evidenceBytes = 0;
        var pendingIndex = 0;
        PortalDbContext? db = null;
        try
        {
            for (var i = 0; i < models; i++)
            {
                if (i % ModelsPerSave == 0)
                {
                    if (db is not null)
                    {
                        await db.SaveChangesAsync();
                        await db.DisposeAsync();
                    }

                    db = await dbFactory.CreateDbContextAsync();
                    db.ChangeTracker.AutoDetectChangesEnabled = false;
                }

                var now = start.AddMinutes(i);
                var name = $"credit-risk-{Segment(i)}-{i:D4}";
                names.Add(name);
                var model = RegisteredModel.Create(name, $"Scores {Segment(i)} loan applications for default within 12 months; bench model {i}.",
                    people.ScientistId, [Roles.DataScientist], RiskTier.Low, now);
                if (i % 4 == 0)
                {
                    Expect(model.ChangeRiskTier(RiskTier.High, [Roles.BusinessManager]), "set the risk tier");
                }

                for (var v = 0; v < versionsPerModel; v++)
                {
                    var auc = 0.70 + (0.2 * v / versionsPerModel) + (random.NextDouble() * 0.01);
                    model.RegisterVersion(new VersionRegistration(runIds[(i * versionsPerModel) + v], people.ScientistId, [], evidence.Signature,
                        new Dictionary<string, double> { ["areaUnderRocCurve"] = auc, ["accuracy"] = auc - 0.08, ["f1Score"] = auc - 0.15, ["logLoss"] = 1.1 - auc },
                        Sha256(random)), people.ScientistId, now.AddDays(1 + v));
                }

                var clockAt = now.AddDays(versionsPerModel + 2);
                if (pendingModels.Contains(i) || i % 3 == 0)
                {
                    foreach (var number in versionsPerModel >= 3 ? new[] { 1, versionsPerModel / 2 } : [1])
                    {
                        var (request, frozen) = Evaluate(model, model.FindVersion(number)!, evidence, people, holdOut, personalData: false, clockAt);
                        clockAt = clockAt.AddDays(3);
                        var approvers = model.RiskTier == RiskTier.High ? new[] { people.Manager2Id, people.ManagerId } : [people.Manager2Id];
                        PromotionTransition? transition = null;
                        foreach (var approver in approvers)
                        {
                            var approval = request.Approve(approver, [Roles.BusinessManager], "Evidence read: better on the same hold-out, no breaking change.",
                                request.EvidenceSha256, clockAt);
                            transition = approval.Transition ?? (approval.Succeeded ? null : throw new InvalidOperationException(approval.Refusal!.Message));
                        }

                        Expect(model.Apply(transition ?? throw new InvalidOperationException("The approvals completed no transition."), clockAt), "apply a promotion");
                        db!.PromotionRequests.Add(request);
                        db.PromotionEvidence.Add(frozen);
                    }
                }

                // Added once the aggregate is complete: with change detection off, what is added to it later would not be saved.
                db!.RegisteredModels.Add(model);
                if (pendingModels.Contains(i))
                {
                    var personal = pendingIndex % 2 == 0;
                    var (request, frozen) = Evaluate(model, model.FindVersion(versionsPerModel)!, evidence, people, holdOut, personal, clockAt.AddDays(1));
                    if (request.Status != PromotionStatus.Pending)
                    {
                        throw new InvalidOperationException($"A seeded request is {request.Status}, not Pending: {string.Join(" ", request.FailedHardGates.Select(g => g.Reason))}");
                    }

                    var signedOff = !personal || pendingIndex % 4 == 0;
                    if (personal && signedOff)
                    {
                        Expect(request.SignOff(people.OfficerId, [Roles.DataProtectionOfficer], true,
                            "Gender and age band are not model inputs; they are kept for the fairness comparison only.", request.EvidenceSha256, clockAt.AddDays(2)),
                            "sign off");
                    }

                    if (signedOff && model.RiskTier == RiskTier.High)
                    {
                        var first = request.Approve(people.Manager2Id, [Roles.BusinessManager], "Fine by me; a second manager must confirm.", request.EvidenceSha256,
                            clockAt.AddDays(2));
                        if (!first.Succeeded || first.Transition is not null)
                        {
                            throw new InvalidOperationException("The first of two approvals should neither fail nor complete the request.");
                        }
                    }

                    db.PromotionRequests.Add(request);
                    db.PromotionEvidence.Add(frozen);
                    seeded.Add((request.Id, request.EvidenceSha256!));
                    evidenceBytes = frozen.Json.Length;
                    pendingIndex++;
                }
            }

            await db!.SaveChangesAsync();
        }
        finally
        {
            if (db is not null)
            {
                await db.DisposeAsync();
            }
        }

        Console.WriteLine($"  seeded {models:N0} models x {versionsPerModel} versions, {pending} pending requests in {clock.Elapsed.TotalSeconds:F1} s");
        return new SeededRegistry(seeded, names, evidenceBytes);
    }

    private static (PromotionRequest Request, PromotionEvidence Frozen) Evaluate(RegisteredModel model, ModelVersion version, BenchEvidence evidence, BenchPeople people,
        DatasetVersionId holdOut, bool personalData, DateTimeOffset now)
    {
        var request = PromotionRequest.Create(model, version, ModelStage.Production,
            $"Version {version.Number} beats the champion on the hold-out quarter and reads the same inputs; requested for the next pricing cycle.",
            people.ScientistId, now);
        var champion = model.Champion;
        var gates = evidence.Gates(champion?.InputSignature, personalData);
        var json = evidence.FrozenJson(request.Id, model.Name, ModelStage.Production, version, champion, gates, holdOut, personalData);
        var frozen = PromotionEvidence.Freeze(request.Id, EvidenceHash.CanonicalizeJson(json), now.AddMinutes(2));
        Expect(request.CompleteEvaluation(gates, frozen.EvidenceSha256, model.RiskTier, ApprovalPolicy.Default, now.AddMinutes(2)), "complete an evaluation");
        return (request, frozen);
    }

    private static string Segment(int i) => (i % 5) switch { 0 => "retail", 1 => "sme", 2 => "mortgage", 3 => "auto", _ => "cards" };

    private static string Sha256(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private static void Expect(RegistryResult result, string step)
    {
        if (result.Refusal is { } refusal)
        {
            throw new InvalidOperationException($"Seeding could not {step}: {refusal.Message}");
        }
    }

    /// <summary>One experiment and one bare succeeded run per version, each with a model hash; returns their ids in order.</summary>
    private static async Task<List<RunId>> InsertRunsAsync(string databasePath, BenchPeople people, int count, DateTimeOffset start)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=OFF;";
            await pragma.ExecuteNonQueryAsync();
        }

        await using var transaction = connection.BeginTransaction();
        var experimentId = Guid.CreateVersion7(start.AddDays(-1));
        await using (var experiment = connection.CreateCommand())
        {
            experiment.Transaction = transaction;
            experiment.CommandText = "INSERT INTO Experiments (Id, Name, Description, OwnerId, CreatedUtc) VALUES ($id, 'bench-registry', '', $owner, $created)";
            experiment.Parameters.AddWithValue("$id", SqliteRows.Guid(experimentId));
            experiment.Parameters.AddWithValue("$owner", people.ScientistId);
            experiment.Parameters.AddWithValue("$created", SqliteRows.DateTime(start.AddDays(-1).UtcDateTime));
            await experiment.ExecuteNonQueryAsync();
        }

        await using var run = connection.CreateCommand();
        run.Transaction = transaction;
        run.CommandText = """
            INSERT INTO Runs (Id, ExperimentId, Mode, Task, Trainer, LabelColumn, HyperparametersJson, ValidationFraction, Seed, Status,
                SubmittedBy, SubmittedByName, SubmittedUtc, StartedUtc, FinishedUtc, Attempt, MaxAttempts, Progress,
                ProgressStage, CancelRequested, LibraryVersion, PrimaryMetric, PrimaryMetricValue, ModelSha256)
            VALUES ($id, $experiment, 'Managed', 'Binary', 'LightGbm', 'label', '{}', 0.2, 42, 'Succeeded',
                $by, $byName, $submitted, $submitted, $finished, 1, 3, 1.0,
                'done', 0, '5.0.1', 'AreaUnderRocCurve', $metric, $sha)
            """;
        var p = new[] { "$id", "$experiment", "$by", "$byName", "$submitted", "$finished", "$metric", "$sha" }
            .ToDictionary(n => n, n => run.Parameters.Add(n, n == "$metric" ? SqliteType.Real : SqliteType.Text));
        run.Prepare();
        var random = new Random(11);
        var ids = new List<RunId>(count);
        for (var i = 0; i < count; i++)
        {
            var submitted = start.AddDays(-1).AddSeconds(i).UtcDateTime;
            var id = Guid.CreateVersion7(submitted);
            ids.Add(new RunId(id));
            p["$id"].Value = SqliteRows.Guid(id);
            p["$experiment"].Value = SqliteRows.Guid(experimentId);
            p["$by"].Value = people.ScientistId;
            p["$byName"].Value = people.ScientistName;
            p["$submitted"].Value = SqliteRows.DateTime(submitted);
            p["$finished"].Value = SqliteRows.DateTime(submitted.AddSeconds(40));
            p["$metric"].Value = 0.7 + (random.NextDouble() * 0.2);
            p["$sha"].Value = Sha256(random);
            await run.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return ids;
    }
}
