using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Application.Runs;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Runs;
using Portal.Ml.DemoData;
using Portal.Web.Features.Datasets;
using Portal.Web.Features.Experiments;

namespace Portal.Web.Startup;

/// <summary>
/// Development demo data on first start: the generated loan-default dataset (a second, drifted quarter as
/// version 2) and three runs of the "loan-default" experiment, submitted as the demo data scientist and trained
/// for real by the worker. Nothing happens once any dataset exists.
/// </summary>
public sealed class DemoDataSeeder(
    IDbContextFactory<PortalDbContext> dbFactory,
    IServiceScopeFactory scopeFactory,
    DatasetService datasets,
    ExperimentService experiments,
    RunSubmission runs,
    IOptions<DemoOptions> demo,
    IHostEnvironment environment,
    ILogger<DemoDataSeeder> logger)
{
    public const string DatasetName = "loan-applications";
    public const string ExperimentName = "loan-default";

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!demo.Value.Enabled || !demo.Value.SeedData || !environment.IsDevelopment())
        {
            return;
        }

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Datasets.AnyAsync(cancellationToken))
            {
                return;
            }
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var scientist = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(IdentitySeeder.DemoUsers[0].Email);
        if (scientist is null)
        {
            return;
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, scientist.Id), new Claim(ClaimTypes.Email, scientist.Email!)], "demo"));
        var first = await UploadAsync(principal, "loan-applications-2026Q1.csv", seed: 2026, covariateDrift: 0, cancellationToken);
        await UploadAsync(principal, "loan-applications-2026Q2.csv", seed: 2027, covariateDrift: 0.6, cancellationToken);

        await experiments.CreateAsync(new CreateExperimentRequest(ExperimentName,
            "Which loan applicants default within 12 months? The credit committee uses the chosen model to set the approval threshold."),
            principal, cancellationToken);
        foreach (var (trainer, hyperparameters) in new (string, Dictionary<string, double>)[]
                 {
                     ("LightGbm", new() { ["numberOfIterations"] = 80, ["learningRate"] = 0.1 }),
                     ("FastTree", new() { ["numberOfTrees"] = 60 }),
                     ("LbfgsLogisticRegression", []),
                 })
        {
            var command = new SubmitRun(ExperimentName, first.DatasetId, first.Version, LoanDefaultGenerator.Label, MlTask.Binary, trainer,
                hyperparameters, 0.2, 42);
            var submitted = await runs.SubmitAsync(command, principal.ToAuditActor(), cancellationToken);
            if (!submitted.Succeeded)
            {
                logger.LogWarning("Demo run {Trainer} was refused: {Error}", trainer, submitted.Error);
            }
        }

        logger.LogInformation("Demo data seeded: dataset {Dataset} (2 versions) and 3 runs of {Experiment} queued for training.", DatasetName, ExperimentName);
    }

    private async Task<DatasetVersionDto> UploadAsync(ClaimsPrincipal user, string fileName, int seed, double covariateDrift, CancellationToken cancellationToken)
    {
        using var csv = new MemoryStream();
        new LoanDefaultGenerator(seed).Write(csv, rows: 5000, covariateDrift: covariateDrift);
        csv.Position = 0;
        var result = await datasets.UploadAsync(DatasetName, fileName, csv, Domain.Audit.AuditActor.User(user.UserId(), user.UserName()), cancellationToken);
        return result.Value ?? throw new InvalidOperationException($"Demo dataset upload failed: {result.Error}");
    }
}
