using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Experiments;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Experiments;
using Portal.Domain.Runs;
using Portal.Domain.Text;

namespace Portal.Web.Features.Experiments;

/// <summary>
/// Experiments: named groups of runs with a description and an owner. Created here (or by the first run submitted
/// under a new name, <see cref="Application.Runs.RunSubmission"/>); only the owner changes the description.
/// </summary>
public sealed class ExperimentService(IDbContextFactory<PortalDbContext> dbFactory, AuditTrail audit, TimeProvider time)
{
    public async Task<PagedResult<ExperimentRow>> ListAsync(ExperimentQuery query, CancellationToken cancellationToken)
    {
        var (page, pageSize) = PagedResult<ExperimentRow>.Normalize(query.Page, query.PageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var experiments = db.Experiments.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            // Case-insensitive on both providers, in the name and the description.
            var search = query.Search.Trim().ToLowerInvariant();
            experiments = experiments.Where(e => e.Name.ToLower().Contains(search) || e.Description.ToLower().Contains(search));
        }

        var total = await experiments.CountAsync(cancellationToken);
        // The page's ids first, computing only the sort key (an index range per experiment), then the counts of those rows alone.
        var ordered = (query.SortBy.ToLowerInvariant(), query.Descending) switch
        {
            ("name", true) => experiments.OrderByDescending(e => e.Name),
            ("name", false) => experiments.OrderBy(e => e.Name),
            ("created", true) => experiments.OrderByDescending(e => e.CreatedUtc),
            ("created", false) => experiments.OrderBy(e => e.CreatedUtc),
            ("runs", true) => experiments.OrderByDescending(e => db.Runs.Count(r => r.ExperimentId == e.Id)).ThenBy(e => e.Name),
            ("runs", false) => experiments.OrderBy(e => db.Runs.Count(r => r.ExperimentId == e.Id)).ThenBy(e => e.Name),
            // Experiments without runs count as active when they were created.
            (_, false) => experiments.OrderBy(e => db.Runs.Where(r => r.ExperimentId == e.Id).Max(r => (DateTime?)r.SubmittedUtc) ?? e.CreatedUtc).ThenBy(e => e.Name),
            _ => experiments.OrderByDescending(e => db.Runs.Where(r => r.ExperimentId == e.Id).Max(r => (DateTime?)r.SubmittedUtc) ?? e.CreatedUtc).ThenBy(e => e.Name),
        };
        var ids = await ordered.Select(e => e.Id).Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var rows = await Rows(db, db.Experiments.AsNoTracking().Where(e => ids.Contains(e.Id))).ToDictionaryAsync(r => r.Id, cancellationToken);
        return new PagedResult<ExperimentRow>([.. ids.Select(id => rows[id].ToRow())], total, page, pageSize);
    }

    /// <summary>Every experiment's id and name, by name (the run list's experiment filter).</summary>
    public async Task<IReadOnlyList<(ExperimentId Id, string Name)>> NamesAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Experiments.AsNoTracking().OrderBy(e => e.Name).Select(e => new { e.Id, e.Name }).ToListAsync(cancellationToken);
        return rows.Select(r => (r.Id, r.Name)).ToList();
    }

    public Task<ExperimentRow?> GetAsync(ExperimentId id, CancellationToken cancellationToken) =>
        FirstRowAsync(e => e.Id == id, cancellationToken);

    /// <summary>The experiment of that name, ignoring case (as runs are submitted under it), or null.</summary>
    public Task<ExperimentRow?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        var (trimmed, normalized) = (name.Trim(), TextRule.NormalizedName(name));
        return FirstRowAsync(e => e.Name == trimmed || e.NormalizedName == normalized, cancellationToken, e => e.Name == trimmed);
    }

    public async Task<OperationResult<ExperimentRow>> CreateAsync(CreateExperimentRequest request, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var name = request.Name?.Trim() ?? "";
        var description = request.Description?.Trim() ?? "";
        if ((Experiment.NameProblem(name) ?? Experiment.DescriptionProblem(description)) is { } problem)
        {
            return Fail(OperationStatus.Invalid, problem);
        }

        if (await ExistingNameAsync(name, cancellationToken) is { } taken)
        {
            return NameTaken(name, taken);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        var experiment = Experiment.Create(name, description, user.UserId(), time.GetUtcNow());
        db.Experiments.Add(experiment);
        audit.RecordCreated(db, experiment, user.ToAuditActor());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Someone created the same name (in any case) between the check and the insert: the unique index refused ours.
            if (await ExistingNameAsync(name, cancellationToken) is { } first)
            {
                return NameTaken(name, first);
            }

            throw;
        }

        return OperationResult<ExperimentRow>.Ok((await GetAsync(experiment.Id, cancellationToken))!);
    }

    public async Task<OperationResult<ExperimentRow>> DescribeAsync(ExperimentId id, DescribeExperimentRequest request, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var description = request.Description?.Trim() ?? "";
        if (Experiment.DescriptionProblem(description) is { } problem)
        {
            return Fail(OperationStatus.Invalid, problem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var experiment = await db.Experiments.FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (experiment is null)
        {
            return Fail(OperationStatus.NotFound, "No such experiment.");
        }

        if (!experiment.MayBeDescribedBy(user.UserId()))
        {
            return Fail(OperationStatus.Forbidden, "Only the experiment's owner may change its description.");
        }

        var before = experiment.Description;
        experiment.Describe(description, user.UserId());
        audit.Record(db, user.ToAuditActor(), AuditActions.ExperimentDescribed, AuditSubject.Experiment(experiment.Id),
            new { experiment = experiment.Name, before, after = description });
        await db.SaveChangesAsync(cancellationToken);
        return OperationResult<ExperimentRow>.Ok((await GetAsync(id, cancellationToken))!);
    }

    /// <summary>The rows as one query with a subquery per count (each an index range of <c>Runs</c>).</summary>
    private static IQueryable<RowShape> Rows(PortalDbContext db, IQueryable<Experiment> experiments) =>
        from e in experiments
        select new RowShape
        {
            Id = e.Id,
            Name = e.Name,
            Description = e.Description,
            OwnerId = e.OwnerId,
            Owner = db.Users.Where(u => u.Id == e.OwnerId).Select(u => u.Email ?? u.UserName).FirstOrDefault(),
            CreatedUtc = e.CreatedUtc,
            Runs = db.Runs.Count(r => r.ExperimentId == e.Id),
            ActiveRuns = db.Runs.Count(r => r.ExperimentId == e.Id && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running)),
            SucceededRuns = db.Runs.Count(r => r.ExperimentId == e.Id && r.Status == RunStatus.Succeeded),
            LastRunUtc = db.Runs.Where(r => r.ExperimentId == e.Id).Max(r => (DateTime?)r.SubmittedUtc),
        };

    private async Task<ExperimentRow?> FirstRowAsync(System.Linq.Expressions.Expression<Func<Experiment, bool>> filter, CancellationToken cancellationToken,
        System.Linq.Expressions.Expression<Func<Experiment, bool>>? preferred = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var matches = db.Experiments.AsNoTracking().Where(filter);
        return (await Rows(db, preferred is null ? matches : matches.OrderByDescending(preferred)).FirstOrDefaultAsync(cancellationToken))?.ToRow();
    }

    /// <summary>The name of the experiment that <paramref name="name"/> would duplicate (ignoring case), or null.</summary>
    private async Task<string?> ExistingNameAsync(string name, CancellationToken cancellationToken)
    {
        var normalized = TextRule.NormalizedName(name);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Experiments.Where(e => e.NormalizedName == normalized).Select(e => e.Name).FirstOrDefaultAsync(cancellationToken);
    }

    private static OperationResult<ExperimentRow> NameTaken(string name, string existing) =>
        Fail(OperationStatus.Conflict, existing == name
            ? $"An experiment named '{name}' exists already: pick another name, or submit runs to it."
            : $"An experiment named '{existing}' exists already, and names are compared ignoring case: pick another name than '{name}', or submit runs to '{existing}'.");

    private static OperationResult<ExperimentRow> Fail(OperationStatus status, string message) => OperationResult<ExperimentRow>.Fail(status, message);

    private sealed class RowShape
    {
        public ExperimentId Id { get; init; }

        public string Name { get; init; } = "";

        public string Description { get; init; } = "";

        public string OwnerId { get; init; } = "";

        public string? Owner { get; init; }

        public DateTime CreatedUtc { get; init; }

        public int Runs { get; init; }

        public int ActiveRuns { get; init; }

        public int SucceededRuns { get; init; }

        public DateTime? LastRunUtc { get; init; }

        public ExperimentRow ToRow() => new(Id, Name, Description, OwnerId, Owner ?? "", CreatedUtc, Runs, ActiveRuns, SucceededRuns, LastRunUtc);
    }
}
