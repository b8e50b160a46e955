using System.Globalization;
using Portal.Domain.Monitoring;
using Portal.Domain.Security;

namespace Portal.Web.Features.Monitoring;

/// <summary>
/// A model's monitoring over HTTP: its latest windows as the dashboard shows them (live metrics, prediction distribution,
/// drift per feature, data quality), its health and its active alerts. Reads only.
/// </summary>
internal static class MonitoringApi
{
    public static RouteGroupBuilder MapMonitoringApi(this RouteGroupBuilder api)
    {
        api.MapGet("/models/{name}/monitoring", async (string name, string? kind, string? limit, MonitoringQueries queries, CancellationToken ct) =>
            {
                if (!TryParseKind(kind, out var windowKind))
                {
                    return Invalid("kind is time or count (default time).");
                }

                if (!TryParseLimit(limit, out var count))
                {
                    return Invalid($"limit is a whole number from 1 to {MonitoringQueries.MaxLimit} (default {MonitoringQueries.DefaultLimit}).");
                }

                return await queries.DashboardAsync(name, windowKind, count, ct) is { } dashboard
                    ? Results.Ok(Shape(dashboard, count))
                    : Results.Problem($"No model named {name}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
            })
            .RequireAuthorization(Policies.ReadMonitoring)
            .WithTags("Monitoring")
            .WithName("GetModelMonitoring")
            .WithSummary("A model's latest monitoring windows of one kind (kind=time|count, default time; limit 1-500, default 60), oldest first: rows, labels, live accuracy or MAE, prediction distribution, drift per feature (test, statistic, p-value, PSI, drifted) and data quality (missing, out of range, unseen, schema violations); with the model's health against its champion's validation figure and its alerts, active first.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static bool TryParseKind(string? text, out WindowKind kind)
    {
        kind = WindowKind.Time;
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "time":
                return true;
            case "count":
                kind = WindowKind.Count;
                return true;
            default:
                return false;
        }
    }

    private static bool TryParseLimit(string? text, out int limit)
    {
        limit = MonitoringQueries.DefaultLimit;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MonitoringQueries.MaxLimit;
    }

    private static object Shape(MonitoringDashboard d, int limit) => new
    {
        model = d.Health.Name,
        championVersion = d.Health.ChampionVersion,
        kind = Lower(d.Kind),
        limit,
        metric = d.Health.IsRegression ? "meanAbsoluteError" : "accuracy",
        validation = Finite(d.Health.Validation),
        health = new
        {
            status = d.Health.Health.ToString(),
            reason = d.Health.Reason,
            live = Finite(d.Health.Live),
            labels = d.Health.LiveLabels,
            latestWindowEndUtc = d.Health.LatestWindowEndUtc,
            driftedFeatures = d.Health.DriftedFeatures,
            activeAlerts = d.Health.ActiveAlerts,
        },
        windows = d.Windows.Select(w => new
        {
            id = w.Id,
            version = w.VersionNumber,
            kind = Lower(w.Kind),
            startUtc = w.StartUtc,
            endUtc = w.EndUtc,
            rows = w.Rows,
            errorRows = w.ErrorRows,
            labeledRows = w.LabeledRows,
            accuracy = Finite(w.Accuracy),
            meanAbsoluteError = Finite(w.MeanAbsoluteError),
            driftedFeatures = w.DriftedFeatures,
            summary = w.Summary,
            predictions = w.Predictions.Select(p => new { label = p.Label, count = p.Count }),
            drift = new
            {
                referenceRows = w.Drift.ReferenceRows,
                currentRows = w.Drift.CurrentRows,
                features = w.Drift.Features.Select(f => new
                {
                    name = f.Name,
                    kind = Lower(f.Kind),
                    test = Lower(f.Test),
                    statistic = Finite(f.Statistic),
                    pValue = Finite(f.PValue),
                    psi = Finite(f.Psi),
                    drifted = f.Drifted,
                }),
            },
            quality = new
            {
                rows = w.Quality.Rows,
                schemaViolations = w.Quality.SchemaViolations,
                features = w.Quality.Features.Select(q => new { name = q.Name, missing = q.Missing, outOfRange = q.OutOfRange, unseen = q.Unseen }),
            },
            computedUtc = w.ComputedUtc,
        }),
        alerts = d.Alerts.Where(a => a.IsActive).Select(a => new
        {
            id = a.Id,
            version = a.VersionNumber,
            rule = a.Rule.ToString(),
            feature = a.Feature,
            severity = a.Severity.ToString(),
            status = a.Status.ToString(),
            message = a.Message,
            windowId = a.WindowId,
            lastWindowId = a.LastWindowId,
            raisedUtc = a.RaisedUtc,
            lastSeenUtc = a.LastSeenUtc,
            occurrences = a.Occurrences,
            acknowledgedBy = a.AcknowledgedBy,
            acknowledgeComment = a.AcknowledgeComment,
        }),
    };

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    private static IResult Invalid(string message) => Results.Problem(message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
}
