using System.Security.Claims;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Portal.Application.Datasets;
using Portal.Domain.Datasets;
using Portal.Domain.Privacy;
using Portal.Domain.Security;

namespace Portal.Web.Features.Datasets;

internal static class DatasetsApi
{
    public static RouteGroupBuilder MapDatasetsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/datasets").WithTags("Datasets");

        var maxUploadBytes = ((IEndpointRouteBuilder)api).ServiceProvider.GetRequiredService<IOptions<DatasetOptions>>().Value.MaxUploadBytes;
        group.MapPost("/", UploadAsync)
            .RequireAuthorization(Policies.ManageExperiments)
            .WithRequestBodyLimit(maxUploadBytes + MultipartOverheadBytes)
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

        // The version is not constrained to an integer in the route: a bad one is a 404 that says so, answered after
        // authorization like every other unknown thing here (a non-DPO gets 403 whatever the address).
        group.MapPut("/{id:guid}/versions/{version}/columns/{column}/classification", ClassifyAsync)
            .RequireAuthorization(Policies.ClassifyData)
            .WithSummary("The DPO classifies a column: { classification: NotPersonal | Personal | SpecialCategory, sensitive, protection?: { purpose, legalBasis, retentionDays } } → the column. Without protection, purpose, legal basis and retention stay as recorded.");

        return api;
    }

    private static async Task<IResult> ClassifyAsync(Guid id, string version, string column, ClassifyColumnRequest request, ClaimsPrincipal user,
        ColumnClassification classification, CancellationToken ct)
    {
        if (!int.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return Results.Problem($"'{Shorten(version)}' is not a version: dataset versions are numbered 1, 2, 3, …",
                statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }

        if (request.ParsedClassification() is not { } chosen)
        {
            return Invalid($"classification must be one of {ColumnClassificationRules.AllowedText}"
                           + (request.Classification is null ? "." : $", not '{Shorten(request.Classification)}'."));
        }

        ColumnProtection? protection = null;
        if (request.Protection is { } given)
        {
            if (!LegalBasisRules.TryParse(given.LegalBasis, out var basis))
            {
                return Invalid($"protection.legalBasis must be one of {string.Join(", ", LegalBasisRules.Article6)} (Art. 6), "
                               + $"{string.Join(", ", LegalBasisRules.Article9)} (Art. 9) or None, not '{Shorten(given.LegalBasis!)}'.");
            }

            protection = new ColumnProtection(given.Purpose, basis, given.RetentionDays);
        }

        // The router leaves an encoded slash encoded in a route value: a column named "a/b" arrives as "a%2Fb".
        var name = column.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var result = await classification.ClassifyAsync(new DatasetId(id), number, name, chosen, request.Sensitive ?? false, protection,
            user.ToAuditActor(), user.RoleNames(), ct);
        return result.ToHttpResult(c => Results.Ok(ShapeColumn(c)));
    }

    private static object ShapeColumn(ClassifiedColumn c) => new
    {
        versionId = c.VersionId,
        ordinal = c.Ordinal,
        name = c.Name,
        type = c.Type.ToString().ToLowerInvariant(),
        c.PersonalDataSuspected,
        classification = c.Classification.ToString(),
        sensitive = c.Sensitive,
        classifiedBy = c.ClassifiedByName,
        classifiedUtc = c.ClassifiedUtc,
        purpose = c.Protection.Purpose,
        legalBasis = c.Protection.LegalBasis.ToString(),
        retentionDays = c.Protection.RetentionDays,
        carriedFromVersion = c.CarriedFromVersion,
        changeSincePrevious = c.ChangeSincePrevious.ToString(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>
    /// The most a non-file part (the dataset name) may hold. A name has at most 128 characters; a larger part is refused
    /// after reading this much, so that a huge field cannot fill memory.
    /// </summary>
    internal const int MaxFieldBytes = 4 * 1024;

    /// <summary>Multipart framing around the file (boundaries, part headers, the name) that the body limit allows for.</summary>
    private const long MultipartOverheadBytes = 1024 * 1024;

    /// <summary>Reads the multipart body section by section, streaming the file straight into the store.</summary>
    private static async Task<IResult> UploadAsync(HttpContext context, ClaimsPrincipal user, DatasetService datasets, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Invalid("Send multipart/form-data with a 'file' part (the CSV) and a 'name' part.");
        }

        try
        {
            return await ReadUploadAsync(new MultipartReader(boundary, context.Request.Body), user, datasets, ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Results.Problem($"The upload is larger than the limit of {datasets.MaxUploadBytes / (1024 * 1024)} MB.",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large");
        }
        catch (InvalidDataException ex)
        {
            // Header limits of the multipart reader: a part header over 16 KB, more than 16 headers in a part.
            return Invalid($"The multipart body is malformed: {ex.Message}");
        }
        catch (Exception ex) when (ex is BadHttpRequestException || (ex is IOException io && ApiExceptionHandler.FromRequestReaders(io)))
        {
            return Invalid("The multipart body is malformed or incomplete: it must start with the boundary given in Content-Type "
                           + "and end with the closing boundary (--boundary--).");
        }
    }

    /// <summary>
    /// Stages the file (streamed to the store, analysed, not yet committed) and reads the other parts, in any order;
    /// only a whole, well-formed body is saved, so a malformed tail or a second file leaves nothing behind.
    /// </summary>
    private static async Task<IResult> ReadUploadAsync(MultipartReader reader, ClaimsPrincipal user, DatasetService datasets, CancellationToken ct)
    {
        string? name = null;
        var fileName = "upload.csv";
        StagedDataset? staged = null;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition);
                var field = HeaderUtilities.RemoveQuotes(disposition?.Name ?? default).Value ?? "";
                if (field == "file")
                {
                    if (staged is not null)
                    {
                        return Invalid("Send one 'file' part: this upload has more than one.");
                    }

                    // A name that came first and is wrong is refused before the file is read.
                    if (name is not null && DatasetService.ValidateName(name) is { } nameError)
                    {
                        return Invalid(nameError);
                    }

                    fileName = HeaderUtilities.RemoveQuotes(disposition!.FileName).Value ?? fileName;
                    var stagedFile = await datasets.StageAsync(section.Body, ct);
                    if (!stagedFile.Succeeded)
                    {
                        return stagedFile.ToHttpResult();
                    }

                    staged = stagedFile.Value!;
                    continue;
                }

                var value = await ReadFieldAsync(section, ct);
                if (value is null)
                {
                    return Invalid(FieldTooLargeMessage(field));
                }

                if (field == "name")
                {
                    name = value;
                }
            }

            if (staged is null)
            {
                return Invalid("The 'file' part is missing: send the CSV as a form field named 'file'.");
            }

            var uploaded = await datasets.SaveAsync(name, fileName, staged, user.ToAuditActor(), ct);
            return uploaded.ToHttpResult(version => version.Created
                ? Results.Created($"/api/datasets/{version.DatasetId}?version={version.Version}", Shape(version))
                : Results.Ok(Shape(version)));
        }
        finally
        {
            staged?.Dispose();
        }
    }

    /// <summary>A non-file part as text, or null when it holds more than <see cref="MaxFieldBytes"/> (the rest is left unread).</summary>
    private static async Task<string?> ReadFieldAsync(MultipartSection section, CancellationToken ct)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await section.Body.ReadAsync(buffer.AsMemory(length), ct)) > 0)
        {
            length += read;
        }

        return length > MaxFieldBytes ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static string FieldTooLargeMessage(string field) =>
        $"The '{(field.Length > 0 ? field : "(unnamed)")}' part is larger than {MaxFieldBytes / 1024} KB; only the 'file' part may be large"
        + (field == "name" ? $", and a dataset name has at most {Dataset.MaxNameLength} characters." : ".");

    private static object Shape(DatasetVersionDto v) => new
    {
        datasetId = v.DatasetId,
        versionId = v.VersionId,
        name = v.Name,
        version = v.Version,
        sha256 = v.Sha256,
        sizeBytes = v.SizeBytes,
        rows = v.Rows,
        columns = v.Columns.Select(c => new { name = c.Name, type = c.Type.ToString().ToLowerInvariant(), c.PersonalDataSuspected, c.SuspicionReason, classification = c.Classification.ToString(), c.Sensitive }),
    };

    private static IResult Invalid(string message) => Results.Problem(message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
}
