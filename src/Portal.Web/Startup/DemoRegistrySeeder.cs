using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Application;
using Portal.Application.Monitoring;
using Portal.Application.Registry;
using Portal.Application.Rollouts;
using Portal.Application.Runs;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Ml.DemoData;
using Portal.Web.Features.Datasets;

namespace Portal.Web.Startup;

/// <summary>
/// Development demo data for the registry, in the background once the demo runs have trained: the model "loan-default"
/// (hold-out: the drifted second quarter) with version 1 — a FastTree trained on the pilot's 500 applications — as champion
/// (requested by the demo scientist, evaluated by the worker, signed off by the DPO and approved by manager2, each step
/// through the real workflow and commented "Demo data"), version 2 — the logistic regression on the full first quarter —
/// waiting in manager@portal.local's inbox, and version 3 — trained on a file without <c>previous_defaults</c> — blocked by
/// the schema gate. Then "loan-default" gets a short demo rollout policy (<see cref="DemoPolicy"/>) before version 2 can be
/// approved, so the manager's approval rolls it out in steps under the demo traffic; and a second model,
/// <see cref="WorseModelName"/>, gets the pilot's model as champion and a deliberately worse challenger (trained on inverted
/// outcomes) that is pushed through the normal path — worker evaluation, the failed quality gate overridden by the
/// administrator with <see cref="WorseOverrideReason"/>, sign-off, approval by manager2 — so that its rollout starts by itself
/// and the analysis rolls it back. Nothing happens when a registered model already exists.
/// </summary>
public sealed class DemoRegistrySeeder(
    IDbContextFactory<PortalDbContext> dbFactory,
    IServiceScopeFactory scopeFactory,
    DatasetService datasets,
    RunSubmission runs,
    ModelRegistry registry,
    PromotionWorkflow workflow,
    RolloutControl rollouts,
    MonitoringPolicies monitoring,
    IOptions<DemoOptions> demo,
    IHostEnvironment environment,
    ILogger<DemoRegistrySeeder> logger) : BackgroundService
{
    public const string ModelName = "loan-default";
    public const string ReducedDatasetName = "loan-applications-minimal";
    public const string PilotDatasetName = "loan-applications-pilot";
    public const string DroppedColumn = "previous_defaults";
    public const string WorseModelName = "loan-default-rollback-demo";
    public const string InvertedDatasetName = "loan-applications-inverted";
    public const string WorseOverrideReason = "demo: deliberately worse challenger, to show automatic rollback";

    /// <summary>
    /// Short demo steps: 10 → 50 → 100 %, judged after 45 s on at least 50 labelled predictions per arm (the simulator's default
    /// 10 requests/s give the 10 % canary about one a second), non-inferiority margins of 8 accuracy points and 2 error points at
    /// 90 % one-sided confidence; a step not shown non-inferior within 10 minutes fails.
    /// </summary>
    public static RolloutPolicy DemoPolicy { get; } = new([10, 50, 100], 50, TimeSpan.FromSeconds(45), TimeSpan.FromMinutes(10), 0.08, 0.02, 0.9);

    /// <summary>
    /// Demo monitoring: one-minute windows (about 600 predictions at the simulator's default rate), judged by the statistical tests,
    /// accuracy judged on 50 labels and alerting 5 points below validation, a 5-minute cool-down.
    /// </summary>
    public static MonitoringPolicy DemoMonitoringPolicy { get; } = MonitoringPolicy.Default with
    {
        WindowMinutes = 1, WindowRows = 300, MinimumLabels = 50, AccuracyDrop = 0.05, CooldownMinutes = 5,
    };

    /// <summary>
    /// Demo retraining: on an accuracy alert (drift alone may be harmless; a drop in live accuracy is what hurts), once 600 labelled rows have been predicted since the alert's window began
    /// (about a minute of demo traffic plus the feedback delay), at most every 15 minutes.
    /// </summary>
    public static RetrainingPolicy DemoRetrainingPolicy { get; } = new(OnDrift: false, OnAccuracyDrop: true, ScheduleHours: null, MinimumRows: 600, MinimumHoursBetween: 0.25);

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!demo.Value.Enabled || !demo.Value.SeedData || !environment.IsDevelopment())
        {
            return;
        }

        try
        {
            await SeedAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Demo registry data not seeded.");
        }
    }

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        // Starts beside the host's other services: first the demo users and the demo runs (DemoDataSeeder) must exist.
        if (!await DemoRunsQueuedAsync(cancellationToken))
        {
            return;
        }

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.RegisteredModels.AnyAsync(cancellationToken) || await db.Datasets.AnyAsync(d => d.Name == ReducedDatasetName, cancellationToken))
            {
                return;
            }
        }

        var people = await PeopleAsync();
        if (people is null)
        {
            return;
        }

        var (scientist, manager2, officer, admin) = people.Value;
        var pilotRun = await SubmitAsync(await UploadAsync(PilotDatasetName, "loan-applications-2025-pilot.csv", Csv(2025, 500, drop: null), scientist.Actor,
            cancellationToken), 20, scientist.Actor, cancellationToken);
        var reducedRun = await SubmitAsync(await UploadAsync(ReducedDatasetName, "loan-applications-2026Q1-minimal.csv", Csv(2026, 5000, DroppedColumn),
            scientist.Actor, cancellationToken), 60, scientist.Actor, cancellationToken);
        var invertedRun = await SubmitAsync(await UploadAsync(InvertedDatasetName, "loan-applications-2026Q1-inverted.csv", InvertedCsv(2026, 2000),
            scientist.Actor, cancellationToken), 20, scientist.Actor, cancellationToken);
        if (pilotRun is null || reducedRun is null || invertedRun is null)
        {
            return;
        }

        var trained = await WaitForDemoRunsAsync(cancellationToken);
        if (trained is null)
        {
            return;
        }

        var created = await registry.CreateAsync(new CreateModel(ModelName,
            "Predicts which loan applicants default within 12 months; the credit committee sets the approval threshold on its score."),
            scientist.Actor, scientist.Roles, cancellationToken);
        if (!created.Succeeded)
        {
            return; // another web node seeded it first
        }

        var holdOut = await HoldOutAsync(cancellationToken);
        await registry.DesignateHoldOutAsync(ModelName, holdOut, 2, scientist.Actor, scientist.Roles, cancellationToken);
        foreach (var run in new[] { pilotRun.Value, trained["LbfgsLogisticRegression"], reducedRun.Value })
        {
            Expect(await registry.RegisterVersionAsync(ModelName, run, scientist.Actor, cancellationToken), "register a version");
        }

        // Version 1 becomes the champion through the whole workflow.
        var first = Expect(await workflow.RequestAsync(new RequestPromotion(ModelName, 1, ModelStage.Production,
            "Demo data: the pilot's model, trained on its first 500 applications."), scientist.Actor, scientist.Roles, cancellationToken), "request version 1");
        var evaluated = await WaitForEvaluationAsync(first.Id, cancellationToken);
        await SignOffAsync(evaluated, officer, cancellationToken);
        if (evaluated.Status == PromotionStatus.Blocked)
        {
            logger.LogWarning("Demo version 1 was blocked: {Gates}", string.Join(" ", evaluated.FailedHardGates.Select(g => g.Reason)));
            return;
        }

        Expect(await workflow.ApproveAsync(first.Id, "Demo data: the first champion.", evaluated.EvidenceSha256, manager2.Actor, manager2.Roles, cancellationToken),
            "approve version 1");

        // Version 2 waits for manager@portal.local, who approves it into a staged rollout: the policy is in place before the
        // DPO's sign-off makes the request approvable. Version 3 drops an input the champion's callers send.
        var second = Expect(await workflow.RequestAsync(new RequestPromotion(ModelName, 2, ModelStage.Production,
            "Trained on the whole first quarter (5,000 applications) instead of the pilot's 500."), scientist.Actor, scientist.Roles,
            cancellationToken), "request version 2");
        var secondEvaluated = await WaitForEvaluationAsync(second.Id, cancellationToken);
        await SetDemoPolicyAsync(created.Value!.Id, manager2, cancellationToken);
        await SetDemoMonitoringAsync(manager2, cancellationToken);
        await SignOffAsync(secondEvaluated, officer, cancellationToken);
        var third = Expect(await workflow.RequestAsync(new RequestPromotion(ModelName, 3, ModelStage.Production,
            $"A simpler model without {DroppedColumn}, which the branch offices find hard to collect."), scientist.Actor, scientist.Roles, cancellationToken),
            "request version 3");
        await WaitForEvaluationAsync(third.Id, cancellationToken);
        logger.LogInformation("Demo registry seeded: {Model} with a champion, a request for manager@portal.local and a blocked one.", ModelName);

        await SeedWorseChallengerAsync(pilotRun.Value, invertedRun.Value, holdOut, (scientist, manager2, officer, admin), cancellationToken);
    }

    /// <summary>
    /// The second demo model: the pilot's model as champion, then the challenger trained on inverted outcomes, whose failed quality
    /// gate the administrator overrides (a governance decision on record) and manager2 approves; with the demo policy in place its
    /// rollout starts at once and the analysis rolls it back.
    /// </summary>
    private async Task SeedWorseChallengerAsync(RunId championRun, RunId worseRun, DatasetId holdOut,
        (Person Scientist, Person Manager2, Person Officer, Person Admin) people, CancellationToken cancellationToken)
    {
        var (scientist, manager2, officer, admin) = people;
        var created = Expect(await registry.CreateAsync(new CreateModel(WorseModelName,
            "Demo of automatic rollback: version 2 was trained on inverted outcomes on purpose. It is pushed to Production past its failed gate, "
            + "and the staged rollout's analysis returns all traffic to version 1."), scientist.Actor, scientist.Roles, cancellationToken), "create the rollback demo model");
        await registry.DesignateHoldOutAsync(WorseModelName, holdOut, 2, scientist.Actor, scientist.Roles, cancellationToken);
        Expect(await registry.RegisterVersionAsync(WorseModelName, championRun, scientist.Actor, cancellationToken), "register the rollback demo's champion");
        Expect(await registry.RegisterVersionAsync(WorseModelName, worseRun, scientist.Actor, cancellationToken), "register the worse challenger");

        var first = Expect(await workflow.RequestAsync(new RequestPromotion(WorseModelName, 1, ModelStage.Production,
            "Demo data: the pilot's model, champion of the rollback demo."), scientist.Actor, scientist.Roles, cancellationToken), "request the rollback demo's champion");
        var evaluated = await WaitForEvaluationAsync(first.Id, cancellationToken);
        await SignOffAsync(evaluated, officer, cancellationToken);
        Expect(await workflow.ApproveAsync(first.Id, "Demo data: champion of the rollback demo.", evaluated.EvidenceSha256, manager2.Actor, manager2.Roles,
            cancellationToken), "approve the rollback demo's champion");
        await SetDemoPolicyAsync(created.Id, manager2, cancellationToken);

        var worse = Expect(await workflow.RequestAsync(new RequestPromotion(WorseModelName, 2, ModelStage.Production,
            "Demo data: a deliberately worse challenger (trained on inverted outcomes), to show the staged rollout rolling it back."),
            scientist.Actor, scientist.Roles, cancellationToken), "request the worse challenger");
        var judged = await WaitForEvaluationAsync(worse.Id, cancellationToken);
        await SignOffAsync(judged, officer, cancellationToken);
        if (judged.Status == PromotionStatus.Blocked)
        {
            Expect(await workflow.OverrideAsync(worse.Id, WorseOverrideReason, admin.Actor, admin.Roles, cancellationToken), "override the worse challenger's gate");
        }

        Expect(await workflow.ApproveAsync(worse.Id, "Demo data: approved to show that the staged rollout catches what the gates were told to let through.",
            judged.EvidenceSha256, manager2.Actor, manager2.Roles, cancellationToken), "approve the worse challenger");
        logger.LogInformation("Demo registry seeded: {Model} rolls out a deliberately worse challenger, which the analysis should roll back.", WorseModelName);
    }

    /// <summary>Gives a demo model the short demo rollout policy. A refusal is logged and the demo goes on (its approvals then promote at once).</summary>
    private async Task SetDemoPolicyAsync(RegisteredModelId modelId, Person manager, CancellationToken cancellationToken)
    {
        try
        {
            var set = await rollouts.SetPolicyAsync(modelId, DemoPolicy, manager.Actor, manager.Roles, cancellationToken);
            if (!set.Succeeded)
            {
                logger.LogWarning("Demo rollout policy not set: {Error}", set.Error);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Demo rollout policy not set.");
        }
    }

    /// <summary>Gives "loan-default" the demo's short monitoring windows and its retraining policy. A refusal is logged and the demo goes on.</summary>
    private async Task SetDemoMonitoringAsync(Person manager, CancellationToken cancellationToken)
    {
        try
        {
            var monitored = await monitoring.SetMonitoringAsync(ModelName, DemoMonitoringPolicy, manager.Actor, manager.Roles, cancellationToken);
            var retrained = await monitoring.SetRetrainingAsync(ModelName, DemoRetrainingPolicy, manager.Actor, manager.Roles, cancellationToken);
            if (!monitored.Succeeded || !retrained.Succeeded)
            {
                logger.LogWarning("Demo monitoring policies not set: {Error}", monitored.Error ?? retrained.Error);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Demo monitoring policies not set.");
        }
    }

    private async Task SignOffAsync(PromotionRequest request, Person officer, CancellationToken cancellationToken)
    {
        if (request.SignOffRequired && request.CurrentSignOff is null)
        {
            await workflow.SignOffAsync(request.Id, true,
                "Demo data: personal columns (names, e-mails, birth dates) are not model inputs; age and postcode use is covered by the credit-scoring legal basis.",
                request.EvidenceSha256, officer.Actor, officer.Roles, cancellationToken);
        }
    }

    private async Task<bool> DemoRunsQueuedAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (await db.Runs.Join(db.Experiments.Where(e => e.Name == DemoDataSeeder.ExperimentName), r => r.ExperimentId, e => e.Id, (r, _) => r)
                    .CountAsync(cancellationToken) >= 3)
            {
                return true;
            }

            await Task.Delay(Poll, cancellationToken);
        }

        logger.LogInformation("No demo runs to build the registry's demo on.");
        return false;
    }

    private async Task<Dictionary<string, RunId>?> WaitForDemoRunsAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var all = await db.Runs.AsNoTracking()
                .Join(db.Experiments.Where(e => e.Name == DemoDataSeeder.ExperimentName), r => r.ExperimentId, e => e.Id, (r, _) => r)
                .ToListAsync(cancellationToken);
            if (all.Count > 0 && all.All(r => r.IsTerminal))
            {
                var succeeded = all.Where(r => r.Status == RunStatus.Succeeded).ToList();
                if (succeeded.Count < all.Count)
                {
                    logger.LogWarning("Demo registry data not seeded: a demo run did not succeed.");
                    return null;
                }

                return succeeded.GroupBy(r => r.Trainer!).ToDictionary(g => g.Key, g => g.OrderBy(r => r.SubmittedUtc).First().Id);
            }

            await Task.Delay(Poll, cancellationToken);
        }

        return null;
    }

    private async Task<PromotionRequest> WaitForEvaluationAsync(PromotionRequestId id, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var request = await db.PromotionRequests.AsNoTracking().FirstAsync(r => r.Id == id, cancellationToken);
            if (request.Status != PromotionStatus.Evaluating || DateTime.UtcNow > deadline)
            {
                return request;
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }

    private async Task<DatasetId> HoldOutAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Datasets.Where(d => d.Name == DemoDataSeeder.DatasetName).Select(d => d.Id).FirstAsync(cancellationToken);
    }

    /// <summary>A generated loan file with every outcome inverted (defaulted 1 ↔ 0): a model trained on it is deliberately wrong.</summary>
    public static string InvertedCsv(int seed, int rows)
    {
        var lines = Csv(seed, rows, drop: null).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(lines[0].Split(','), LoanDefaultGenerator.Label);
        return string.Join('\n', lines.Select((line, i) => i == 0 ? line : string.Join(',', line.Split(',').Select((cell, c) => c != at ? cell : cell == "1" ? "0" : "1"))))
            + "\n";
    }

    /// <summary>A generated loan file; without <paramref name="drop"/>, every column (a version trained on it cannot read the dropped one: a breaking change).</summary>
    private static string Csv(int seed, int rows, string? drop)
    {
        using var full = new MemoryStream();
        new LoanDefaultGenerator(seed).Write(full, rows);
        var text = Encoding.UTF8.GetString(full.ToArray());
        if (drop is null)
        {
            return text;
        }

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(lines[0].Split(','), drop);
        return string.Join('\n', lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != at)))) + "\n";
    }

    private async Task<DatasetVersionDto> UploadAsync(string name, string fileName, string csv, AuditActor scientist, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var result = await datasets.UploadAsync(name, fileName, content, scientist, cancellationToken);
        return result.Value ?? throw new InvalidOperationException($"Demo dataset upload failed: {result.Error}");
    }

    private async Task<RunId?> SubmitAsync(DatasetVersionDto dataset, int trees, AuditActor scientist, CancellationToken cancellationToken)
    {
        var submitted = await runs.SubmitAsync(new SubmitRun(DemoDataSeeder.ExperimentName, dataset.DatasetId, dataset.Version, LoanDefaultGenerator.Label,
            MlTask.Binary, "FastTree", new Dictionary<string, double> { ["numberOfTrees"] = trees }, 0.2, 42), scientist, cancellationToken);
        if (!submitted.Succeeded)
        {
            logger.LogWarning("Demo registry data not seeded: the run on {Dataset} was refused: {Error}", dataset.Name, submitted.Error);
            return null;
        }

        return submitted.Value;
    }

    private sealed record Person(AuditActor Actor, IReadOnlyCollection<string> Roles);

    private async Task<(Person Scientist, Person Manager2, Person Officer, Person Admin)?> PeopleAsync()
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        async Task<Person?> FindAsync(string email, string role) =>
            await users.FindByEmailAsync(email) is { } user ? new Person(AuditActor.User(user.Id, user.UserName ?? email), [role]) : null;
        var scientist = await FindAsync("scientist@portal.local", Roles.DataScientist);
        var manager2 = await FindAsync("manager2@portal.local", Roles.BusinessManager);
        var officer = await FindAsync("dpo@portal.local", Roles.DataProtectionOfficer);
        var admin = await FindAsync("admin@portal.local", Roles.Administrator);
        return scientist is null || manager2 is null || officer is null || admin is null ? null : (scientist, manager2, officer, admin);
    }

    private T Expect<T>(OperationResult<T> result, string step) =>
        result.Succeeded ? result.Value! : throw new InvalidOperationException($"Demo registry seeding could not {step}: {result.Error}");
}
