using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Application.Datasets;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Text;

namespace Portal.Web.Features.Datasets;

/// <summary>
/// Versioned datasets. An upload streams into the content-addressed store (hashing as it goes), is analysed from
/// the stored file (schema, profile, personal-data flags), and becomes the next version of its name — or returns
/// the existing version when the content is identical. Bad input stores nothing.
/// </summary>
public sealed class DatasetService(
    IDbContextFactory<PortalDbContext> dbFactory,
    DatasetIngestion ingestion,
    IOptions<DatasetOptions> options)
{

    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    public static string? ValidateName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "Give the dataset a name." : TextRule.NameProblem("name", name, Dataset.MaxNameLength);

    public async Task<OperationResult<DatasetVersionDto>> UploadAsync(
        string? name, string fileName, Stream content, AuditActor actor, CancellationToken cancellationToken)
    {
        if (ValidateName(name) is { } nameError)
        {
            return Invalid(nameError);
        }

        var staged = await StageAsync(content, cancellationToken);
        if (!staged.Succeeded)
        {
            return OperationResult<DatasetVersionDto>.Fail(staged.Status, staged.Error!);
        }

        using var upload = staged.Value!;
        return await SaveAsync(name, fileName, upload, actor, cancellationToken);
    }

    /// <summary>
    /// Reads an upload into the store's staging area and analyses it, without committing anything: the caller then
    /// saves it (<see cref="SaveAsync"/>) or disposes it, which leaves no file behind. Refuses an empty, oversized or
    /// malformed CSV.
    /// </summary>
    public async Task<OperationResult<StagedDataset>> StageAsync(Stream content, CancellationToken cancellationToken)
    {
        var staged = await ingestion.StageAsync(content, MaxUploadBytes, cancellationToken);
        return staged.Succeeded
            ? OperationResult<StagedDataset>.Ok(new StagedDataset(staged.Value!))
            : OperationResult<StagedDataset>.Fail(staged.Status, staged.Status == OperationStatus.TooLarge
                ? $"The file is larger than the limit of {options.Value.MaxUploadMegabytes} MB."
                : staged.Error!);
    }

    /// <summary>Commits a staged upload as the next version of <paramref name="name"/> (or returns the version with the same content).</summary>
    public async Task<OperationResult<DatasetVersionDto>> SaveAsync(string? name, string fileName, StagedDataset upload, AuditActor actor,
        CancellationToken cancellationToken)
    {
        if (ValidateName(name) is { } nameError)
        {
            return Invalid(nameError);
        }

        var saved = await ingestion.SaveAsync(name!.Trim(), fileName, upload.Staged, actor, cancellationToken);
        return OperationResult<DatasetVersionDto>.Ok(ToDto(saved.Dataset, saved.Version, saved.Created));
    }

    public async Task<PagedResult<DatasetRow>> ListAsync(string? search, int page, int pageSize, CancellationToken cancellationToken)
    {
        (page, pageSize) = PagedResult<DatasetRow>.Normalize(page, pageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var datasets = db.Datasets.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            datasets = datasets.Where(d => d.Name.Contains(search.Trim()));
        }

        var total = await datasets.CountAsync(cancellationToken);
        var rows = await (from d in datasets
                          join v in db.DatasetVersions on new { Id = d.Id, V = d.LatestVersion } equals new { Id = v.DatasetId, V = v.Version }
                          orderby v.CreatedUtc descending
                          select new DatasetRow(d.Id, d.Name, d.LatestVersion, v.RowCount, v.ColumnCount,
                              v.Columns.Count(c => c.PersonalDataSuspected), v.CreatedUtc))
            .Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new PagedResult<DatasetRow>(rows, total, page, pageSize);
    }

    public async Task<IReadOnlyList<DatasetVersionSummary>> VersionsAsync(DatasetId datasetId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.DatasetVersions.AsNoTracking().Where(v => v.DatasetId == datasetId).OrderByDescending(v => v.Version)
            .Select(v => new DatasetVersionSummary(v.Id, v.Version, v.Sha256, v.RowCount, v.ColumnCount, v.SizeBytes, v.UploadedBy, v.CreatedUtc,
                v.PurgedUtc, v.PurgedBy, v.PurgeReason))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// A version with its columns and profile; <paramref name="version"/> null means the latest. The values of columns
    /// holding personal data (classified so, or suspected and not yet classified) are withheld unless <paramref name="viewer"/> may see them (<see cref="PersonalDataValues"/>):
    /// decided here, so no page or endpoint can show them by forgetting to hide them.
    /// </summary>
    public async Task<(DatasetVersionDto Version, IReadOnlyList<ColumnProfile> Profile, bool PersonalValuesWithheld)?> GetAsync(
        DatasetId datasetId, int? version, ClaimsPrincipal viewer, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == datasetId, cancellationToken);
        if (dataset is null)
        {
            return null;
        }

        var number = version ?? dataset.LatestVersion;
        var found = await db.DatasetVersions.AsNoTracking().Include(v => v.Columns)
            .FirstOrDefaultAsync(v => v.DatasetId == datasetId && v.Version == number, cancellationToken);
        if (found is null)
        {
            return null;
        }

        var profile = DatasetProfiles.Read(found);
        var flagged = found.Columns.Where(c => c.HoldsPersonalData).Select(c => c.Ordinal).ToHashSet();
        var withheld = flagged.Count > 0
            && !PersonalDataValues.MayView(viewer.RoleNames(), viewer.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", dataset.CreatedBy);
        if (withheld)
        {
            profile = [.. profile.Select(p => flagged.Contains(p.Schema.Ordinal) ? PersonalDataValues.Withhold(p) : p)];
        }

        return (ToDto(dataset, found, created: false), profile, withheld);
    }

    public async Task<OperationResult<SchemaDiff>> DiffAsync(DatasetId datasetId, int from, int to, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var versions = await db.DatasetVersions.AsNoTracking().Include(v => v.Columns)
            .Where(v => v.DatasetId == datasetId && (v.Version == from || v.Version == to)).ToListAsync(cancellationToken);
        var before = versions.FirstOrDefault(v => v.Version == from);
        var after = versions.FirstOrDefault(v => v.Version == to);
        return before is null || after is null
            ? OperationResult<SchemaDiff>.Fail(OperationStatus.NotFound, $"Version {(before is null ? from : to)} of this dataset does not exist.")
            : OperationResult<SchemaDiff>.Ok(SchemaDiff.Compare(before.Schema, after.Schema));
    }

    private static DatasetVersionDto ToDto(Dataset dataset, DatasetVersion version, bool created) => new(
        dataset.Id, version.Id, dataset.Name, version.Version, version.Sha256, version.SizeBytes, version.RowCount,
        version.Columns.OrderBy(c => c.Ordinal).Select(DatasetColumnDto.From).ToList(),
        version.UploadedBy, version.CreatedUtc, created);

    private static OperationResult<DatasetVersionDto> Invalid(string error) => OperationResult<DatasetVersionDto>.Fail(OperationStatus.Invalid, error);
}

