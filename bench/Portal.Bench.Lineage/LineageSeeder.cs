using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Lineage;
using Portal.Domain.Datasets;
using Portal.Domain.Experiments;
using Portal.Domain.Lineage;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Security;

namespace Portal.Bench.Lineage;

/// <summary>Seeds model families through the domain's factories and the real save (edges recorded by the save itself).</summary>
internal static class LineageSeeder
{
    public const int Generations = 10;
    private const int RunsPerGeneration = 8;
    private const int VersionsPerGeneration = 3;

    public sealed record Seeded(int Nodes, IReadOnlyList<LineageNodeRef> Roots);

    public static async Task<Seeded> SeedAsync(IDbContextFactory<PortalDbContext> factory, int families)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var roots = new List<LineageNodeRef>();
        var nodes = 0;
        for (var f = 0; f < families; f++)
        {
            await using var db = await factory.CreateDbContextAsync();
            db.ChangeTracker.AutoDetectChangesEnabled = true;
            var now = start.AddMinutes(f);
            var name = $"family-{f:D4}";
            var dataset = Dataset.Create(name, "scientist", now);
            var experiment = Experiment.Create(name, "", "scientist", now);
            var model = RegisteredModel.Create(name, "Lineage benchmark model", "scientist", [Roles.DataScientist], RiskTier.Low, now);
            db.Datasets.Add(dataset);
            db.Experiments.Add(experiment);
            db.RegisteredModels.Add(model);
            nodes++;
            PromotionRequestId? deployment = null;
            for (var g = 0; g < Generations; g++)
            {
                var at = now.AddHours(g);
                var personal = f % 3 == 0;
                var data = DatasetVersion.Create(dataset.Id, dataset.NextVersion(), new string('a', 64), 1000, 100, $"{name}-{g}.csv", "[]",
                [
                    DatasetColumn.Create(0, personal ? "email" : "tenure", personal ? ColumnType.Text : ColumnType.Numeric, personal, personal ? "e-mail addresses" : null),
                    DatasetColumn.Create(1, "churned", ColumnType.Boolean, false, null),
                ], "scientist", at);
                db.DatasetVersions.Add(data);
                if (g == 0)
                {
                    roots.Add(LineageDerivation.Node(data.Id));
                }

                if (deployment is { } produced)
                {
                    LineageRecorder.Record(db, LineageDerivation.Deployment(produced), LineageDerivation.Node(data.Id), LineageEdgeKind.Produced, at);
                }

                var runs = Enumerable.Range(0, RunsPerGeneration).Select(r => Run.SubmitManaged(experiment.Id, data.Id, data.Sha256, MlTask.Binary, "FastTree", "churned",
                    new Dictionary<string, double> { ["trees"] = 10 + r }, 0.2, r, "scientist", "Scientist", at.AddMinutes(1))).ToList();
                db.Runs.AddRange(runs);
                PromotionRequest? last = null;
                foreach (var run in runs.Take(VersionsPerGeneration))
                {
                    var version = model.RegisterVersion(new VersionRegistration(run.Id, "scientist", [data.Id], [new InputFeature("tenure", "Single")],
                        new Dictionary<string, double> { ["accuracy"] = 0.9 }, new string('c', 64)), "scientist", at.AddMinutes(2));
                    last = PromotionRequest.Create(model, version, ModelStage.Production, "Retrained on the newer data.", "scientist", at.AddMinutes(3));
                    db.PromotionRequests.Add(last);
                }

                var applied = model.Apply(new PromotionTransition(last!.Id, model.Id, last.VersionId, ModelStage.Production, ["manager"], "Approved.",
                    new string('e', 64), false), at.AddMinutes(4));
                if (!applied.Succeeded)
                {
                    throw new InvalidOperationException(applied.Refusal!.Message);
                }

                deployment = last.Id;
                nodes += 1 + RunsPerGeneration + 2 * VersionsPerGeneration + 1;
            }

            await db.SaveChangesAsync();
            if ((f + 1) % 100 == 0)
            {
                Console.WriteLine($"  seeded {f + 1} families ({nodes:N0} nodes)");
            }
        }

        return new(nodes, roots);
    }
}
