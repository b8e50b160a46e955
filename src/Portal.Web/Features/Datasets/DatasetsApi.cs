using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Portal.Domain.Datasets;
using Portal.Domain.Security;

namespace Portal.Web.Features.Datasets;

internal static class DatasetsApi
{
    public static RouteGroupBuilder MapDatasetsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/datasets").WithTags("Datasets");

        group.MapPost("/", UploadAsync)
            .RequireAuthorization(Policies.ManageExperiments)
            .DisableAntiforgery()
            .WithSummary("Uploads a CSV (multipart: file, name). 201 for a new version, 200 when identical content exists.");

        group.MapGet("/", async (string? search, int? page, int? pageSize, DatasetService datasets, CancellationToken ct) =>
                await datasets.ListAsync(search, page ?? 0, pageSize ?? 25, ct))
            .RequireAuthorization(Policies.ReadExperiments)
            .WithSummary("Lists datasets with their latest version.");

        group.MapGet("/{id:guid}", async (Guid id, int? version, ClaimsPrincipal user, DatasetService datasets, CancellationToken ct) =>
                await datasets.GetAsync(new DatasetId(id), version, user, ct) is { } found
                    ? Results.Ok(new { found.Version, profile = found.Profile, personalValuesWithheld = found.PersonalValuesWithheld })
                    : Results.Problem("No such dataset or version.", statusCode: StatusCodes.Status404NotFound))
            .RequireAuthorization(Policies.ReadExperiments)
            .WithSummary("A version (latest by default) with its schema and column profiles; values of personal-data columns only for the DPO and the dataset's owner.");

        group.MapGet("/{id:guid}/versions", async (Guid id, DatasetService datasets, CancellationToken ct) => await datasets.VersionsAsync(new DatasetId(id), ct))
            .RequireAuthorization(Policies.ReadExperiments)
            .WithSummary("All versions of a dataset, newest first.");

        group.MapGet("/{id:guid}/diff", async (Guid id, int? from, int? to, DatasetService datasets, CancellationToken ct) =>
                from is null || to is null
                    ? Invalid("Give both versions to compare: ?from=1&to=2.")
                    : (await datasets.DiffAsync(new DatasetId(id), from.Value, to.Value, ct)).ToHttpResult())
            .RequireAuthorization(Policies.ReadExperiments)
            .WithSummary("Schema diff between two versions: added, removed and retyped columns.");

        return api;
    }

    /// <summary>Reads the multipart body section by section, streaming the file straight into the store.</summary>
    private static async Task<IResult> UploadAsync(HttpContext context, ClaimsPrincipal user, DatasetService datasets, CancellationToken ct)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = datasets.MaxUploadBytes + (1024 * 1024);
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Invalid("Send multipart/form-data with a 'file' part (the CSV) and a 'name' part.");
        }

        var reader = new MultipartReader(boundary, context.Request.Body);
        string? name = null;
        OperationResult<DatasetVersionDto>? uploaded = null;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }

                var field = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (field == "name")
                {
                    using var text = new StreamReader(section.Body);
                    var value = await text.ReadToEndAsync(ct);
                    name = value.Length > 1000 ? value[..1000] : value;
                }
                else if (field == "file" && uploaded is null)
                {
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "upload.csv";
                    // The name part may come after the file: upload under a placeholder and check it below.
                    uploaded = name is null
                        ? await UploadWithLateNameAsync(datasets, section.Body, fileName, user, reader, ct)
                        : await datasets.UploadAsync(name, fileName, section.Body, user.ToAuditActor(), ct);
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Results.Problem($"The upload is larger than the limit of {datasets.MaxUploadBytes / (1024 * 1024)} MB.",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large");
        }
        catch (IOException ex) when (ex.Message.Contains("boundary", StringComparison.OrdinalIgnoreCase)
                                    || ex.Message.Contains("multipart", StringComparison.OrdinalIgnoreCase))
        {
            return Invalid("The multipart body is malformed.");
        }

        if (uploaded is null)
        {
            return Invalid("The 'file' part is missing: send the CSV as a form field named 'file'.");
        }

        return uploaded.ToHttpResult(version => version.Created
            ? Results.Created($"/api/datasets/{version.DatasetId}?version={version.Version}", Shape(version))
            : Results.Ok(Shape(version)));
    }

    private static async Task<OperationResult<DatasetVersionDto>> UploadWithLateNameAsync(DatasetService datasets, Stream file, string fileName,
        ClaimsPrincipal user, MultipartReader reader, CancellationToken ct)
    {
        // Without a name yet we cannot pick the dataset; buffer to a temporary file (never memory), then read the name part.
        var temp = Path.GetTempFileName();
        try
        {
            await using (var copy = File.Create(temp))
            {
                await file.CopyToAsync(copy, ct);
            }

            string? name = null;
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var d) && HeaderUtilities.RemoveQuotes(d.Name).Value == "name")
                {
                    using var text = new StreamReader(section.Body);
                    name = await text.ReadToEndAsync(ct);
                }
            }

            await using var stored = File.OpenRead(temp);
            return await datasets.UploadAsync(name, fileName, stored, user.ToAuditActor(), ct);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static object Shape(DatasetVersionDto v) => new
    {
        datasetId = v.DatasetId,
        versionId = v.VersionId,
        name = v.Name,
        version = v.Version,
        sha256 = v.Sha256,
        sizeBytes = v.SizeBytes,
        rows = v.Rows,
        columns = v.Columns.Select(c => new { name = c.Name, type = c.Type.ToString().ToLowerInvariant(), c.PersonalDataSuspected, c.SuspicionReason, classification = c.Classification.ToString() }),
    };

    private static IResult Invalid(string message) => Results.Problem(message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
}
