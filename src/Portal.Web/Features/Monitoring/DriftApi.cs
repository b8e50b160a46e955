using System.Globalization;
using Portal.Application;
using Portal.Domain.Security;

namespace Portal.Web.Features.Monitoring;

/// <summary>
/// <c>GET /api/models/{name}/drift?from=&amp;to=</c>: the drift of the rows the model's production version predicted in
/// [from, to) against its training reference, per feature (KS or chi-square, PSI, drifted by the model's monitoring policy).
/// from and to are ISO 8601 (an offset or Z; without one, UTC); to defaults to now and from to a day before to; the span is
/// at most 31 days. No rows in the span is not an error: 200 with <c>current.rows = 0</c> and no features. 404 unknown model,
/// 409 no production version or no training reference (a version registered from an external run), 413 over a million rows.
/// </summary>
internal static class DriftApi
{
    public static RouteGroupBuilder MapDriftApi(this RouteGroupBuilder api)
    {
        api.MapGet("/models/{name}/drift", async (string name, string? from, string? to, DriftQuery query, TimeProvider time, CancellationToken ct) =>
            {
                if (!TryParseInstant(to, out var toUtc, time.GetUtcNow().UtcDateTime))
                {
                    return Invalid("'to' is an ISO 8601 date and time, e.g. 2026-12-02T15:00:00Z.");
                }

                if (!TryParseInstant(from, out var fromUtc, toUtc.AddDays(-1)))
                {
                    return Invalid("'from' is an ISO 8601 date and time, e.g. 2026-12-01T15:00:00Z.");
                }

                if (fromUtc >= toUtc)
                {
                    return Invalid("'from' must be before 'to': the span is [from, to).");
                }

                if (toUtc - fromUtc > DriftQuery.MaxSpan)
                {
                    return Invalid($"The span is at most {DriftQuery.MaxSpan.TotalDays.ToString(CultureInfo.InvariantCulture)} days: narrow from and to.");
                }

                var result = await query.ComputeAsync(name, fromUtc, toUtc, ct);
                if (!result.Succeeded)
                {
                    return result.Status switch
                    {
                        OperationStatus.NotFound => Results.Problem(result.Error, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
                        OperationStatus.TooLarge => Results.Problem(result.Error, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too many rows"),
                        _ => Results.Problem(result.Error, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
                    };
                }

                var drift = result.Value!;
                return Results.Ok(new
                {
                    model = drift.Model,
                    version = drift.Version,
                    from = drift.FromUtc,
                    to = drift.ToUtc,
                    reference = new { rows = drift.Report.ReferenceRows },
                    current = new { rows = drift.Rows, refused = drift.RefusedRows },
                    features = drift.Report.Features.Select(f => new
                    {
                        name = f.Name,
                        kind = f.Kind.ToString().ToLowerInvariant(),
                        test = f.Test.ToString().ToLowerInvariant(),
                        statistic = f.Statistic,
                        pValue = f.PValue,
                        psi = f.Psi,
                        drifted = f.Drifted,
                    }),
                });
            })
            .RequireAuthorization(Policies.ReadMonitoring)
            .WithTags("Monitoring")
            .WithName("GetModelDrift")
            .WithSummary("Drift of the rows the production version predicted in [from, to) (ISO 8601; default the last day, at most 31 days) against its training data: per feature the KS (numeric) or chi-square (categorical) statistic and p-value, the PSI, and whether it drifted under the model's monitoring policy.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return api;
    }

    private static bool TryParseInstant(string? text, out DateTime utc, DateTime fallback)
    {
        if (string.IsNullOrEmpty(text))
        {
            utc = fallback;
            return true;
        }

        if (text.Length <= 40 && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed)
            && parsed.Year is >= 2000 and <= 9998)
        {
            utc = parsed.UtcDateTime;
            return true;
        }

        utc = default;
        return false;
    }

    private static IResult Invalid(string message) => Results.Problem(message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
}
