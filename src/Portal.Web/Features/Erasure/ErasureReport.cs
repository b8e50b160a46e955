using System.Globalization;
using System.Net;
using System.Text;
using Portal.Application.Privacy;
using Portal.Web.Infrastructure;

namespace Portal.Web.Features.Erasure;

/// <summary>One line of an erasure report: what is affected (kind), its name, its id and state, and the portal page that shows it.</summary>
public sealed record ErasureReportLine(string Request, string Kind, string Name, string Id, string State, string Detail, string Link);

/// <summary>
/// The erasure-impact report as lines (for the CSV, through <see cref="CsvExportWriter"/>, so no cell can start a formula) and as a
/// printable HTML page (every text encoded, no script). A subject appears only as its column and keyed hash, never its value.
/// </summary>
public static class ErasureReport
{
    public const string HtmlContentType = "text/html; charset=utf-8";

    /// <summary>Nothing runs and nothing is loaded from elsewhere: the page is text and an inline style.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IEnumerable<ErasureReportLine> Lines(string request, ErasureImpactReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var v in report.DatasetVersions)
        {
            yield return new(request, "datasetVersion", $"{v.Dataset} v{v.Version}", v.VersionId.ToString(),
                v.Purged ? "purged" : v.MarkedForErasure ? "marked for erasure" : "held",
                string.Create(CultureInfo.InvariantCulture, $"{v.Rows} rows, uploaded {v.CreatedUtc:yyyy-MM-dd}"), $"/datasets/{v.DatasetId}?version={v.Version}");
        }

        foreach (var r in report.Runs)
        {
            yield return new(request, "run", r.Experiment, r.RunId.ToString(), r.Status.ToString(), r.SubmittedBy, $"/runs/{r.RunId}");
        }

        foreach (var m in report.ModelVersions)
        {
            yield return new(request, "modelVersion", $"{m.Model} v{m.Number}", m.VersionId.ToString(), m.Stage.ToString(), $"run {m.RunId}",
                $"/models/{Uri.EscapeDataString(m.Model)}/versions/{m.Number}");
        }

        foreach (var d in report.LiveDeployments)
        {
            yield return new(request, "liveDeployment", $"{d.Model} v{d.Number}", d.RolloutId?.ToString() ?? "", d.Kind,
                d.CanaryPercent is { } percent ? string.Create(CultureInfo.InvariantCulture, $"{percent} % of traffic") : "all traffic",
                d.RolloutId is { } rollout ? $"/rollouts/{rollout}" : $"/models/{Uri.EscapeDataString(d.Model)}");
        }
    }

    public static async Task WriteCsvAsync(CsvExportWriter csv, IEnumerable<ErasureReportLine> lines)
    {
        ArgumentNullException.ThrowIfNull(csv);
        await csv.WriteRowAsync("request", "kind", "name", "id", "state", "detail", "link");
        foreach (var line in lines)
        {
            await csv.WriteRowAsync(line.Request, line.Kind, line.Name, line.Id, line.State, line.Detail, line.Link);
        }
    }

    public static string Html(string title, string subject, DateTimeOffset generated, IReadOnlyList<ErasureReportLine> lines)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Encode(title)).Append("</title>")
            .Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:4px 6px;text-align:left;font-size:12px}h2{margin-top:1.5em}</style></head><body>")
            .Append("<h1>").Append(Encode(title)).Append("</h1><p>").Append(Encode(subject)).Append("</p><p>Generated ")
            .Append(Encode(generated.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))).Append(" UTC</p>");
        foreach (var (kind, heading) in new[] { ("datasetVersion", "Dataset versions"), ("run", "Runs"), ("modelVersion", "Model versions"), ("liveDeployment", "Live deployments") })
        {
            var rows = lines.Where(l => l.Kind == kind).ToList();
            html.Append("<h2>").Append(heading).Append(" (").Append(rows.Count.ToString(CultureInfo.InvariantCulture)).Append(")</h2>");
            if (rows.Count == 0)
            {
                html.Append("<p>None.</p>");
                continue;
            }

            html.Append("<table><thead><tr><th>Request</th><th>Name</th><th>Id</th><th>State</th><th>Detail</th><th>Page</th></tr></thead><tbody>");
            foreach (var row in rows)
            {
                html.Append("<tr><td>").Append(Encode(row.Request)).Append("</td><td>").Append(Encode(row.Name)).Append("</td><td>").Append(Encode(row.Id))
                    .Append("</td><td>").Append(Encode(row.State)).Append("</td><td>").Append(Encode(row.Detail)).Append("</td><td>").Append(Encode(row.Link))
                    .Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        return html.Append("</body></html>").ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
