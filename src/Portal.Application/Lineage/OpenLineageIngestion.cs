using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Lineage;

namespace Portal.Application.Lineage;

/// <summary>
/// Accepts an OpenLineage RunEvent from another system (<c>POST /api/v1/lineage</c>, Marquez's path). A valid event
/// (the official JSON schema, see <see cref="OpenLineageSchema"/>) is stored as it came, and becomes lineage, all in
/// one transaction with its audit entry (<c>lineage.event.received</c>):
/// <list type="bullet">
/// <item>an <see cref="ExternalLineageNode"/> of kind <see cref="LineageNodeKind.Job"/> for <c>job</c>, and one of kind
/// <see cref="LineageNodeKind.ExternalDataset"/> per input and output dataset, each with id <c>namespace/name</c>
/// (a dataset's <c>schema</c> facet fields kept as <see cref="ExternalLineageNode.SchemaJson"/>, a job's last event type);</item>
/// <item>edges <c>externalDataset → job</c> (<see cref="LineageEdgeKind.UsedBy"/>) per input and <c>job → externalDataset</c>
/// (<see cref="LineageEdgeKind.Produced"/>) per output, each recorded once however often it is reported;</item>
/// <item>when a dataset is in Portal's own namespace (<see cref="OpenLineageOptions.Namespace"/>) and named like a Portal
/// dataset, a <see cref="LineageEdgeKind.DerivedFrom"/> edge joins the two, pointing the way the data flows: from
/// <c>dataset:&lt;id&gt;</c> to the external dataset when the job read it, from the external dataset to <c>dataset:&lt;id&gt;</c>
/// when the job wrote it. A graph walk from a Portal dataset so reaches the external jobs that read it.</item>
/// </list>
/// The graph labels job and external dataset nodes from their ExternalLineageNode rows (name, namespace, schema).
/// </summary>
public sealed class OpenLineageIngestion(
    IDbContextFactory<PortalDbContext> dbFactory,
    OpenLineageSchema schema,
    AuditTrail audit,
    IOptions<OpenLineageOptions> options,
    TimeProvider time)
{
    /// <summary>Validates and stores one event (the raw request body, at most <see cref="OpenLineageEvent.MaxPayloadLength"/> bytes).</summary>
    public async Task<OperationResult<IngestedLineageEvent>> IngestAsync(ReadOnlyMemory<byte> body, AuditActor actor, CancellationToken cancellationToken)
    {
        if (body.Length > OpenLineageEvent.MaxPayloadLength)
        {
            return Fail(OperationStatus.TooLarge, $"The event is {body.Length:N0} bytes; at most {OpenLineageEvent.MaxPayloadLength:N0} (1 MB) are accepted.");
        }

        if (body.IsEmpty)
        {
            return Invalid("The body is empty: send one OpenLineage RunEvent as JSON.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            return Invalid($"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): send one OpenLineage RunEvent.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Invalid("The body must be a JSON object: one OpenLineage RunEvent.");
            }

            string? problem;
            try
            {
                problem = schema.Problem(root);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or InvalidOperationException or ArgumentException)
            {
                problem = $"The event could not be checked against the OpenLineage schema: {ex.Message}";
            }

            if (problem is not null)
            {
                return Invalid(problem);
            }

            if (Read(root, out var read) is { } readProblem)
            {
                return Invalid(readProblem);
            }

            var payload = Encoding.UTF8.GetString(body.Span);
            try
            {
                return await StoreAsync(read!, payload, actor, cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another event made one of these nodes or edges at the same moment (the keys refused ours): nothing of this one
                // was stored. Once more: now the rows are there and are updated instead.
                return await StoreAsync(read!, payload, actor, cancellationToken);
            }
        }
    }

    private async Task<OperationResult<IngestedLineageEvent>> StoreAsync(ReadEvent read, string payload, AuditActor actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var job = ExternalLineageNode.IdOf(read.JobNamespace, read.JobName);
        var stored = OpenLineageEvent.Create(read.EventType, read.EventTime, read.RunId, read.JobNamespace, read.JobName, read.Producer, payload,
            actor.Id, now);
        db.OpenLineageEvents.Add(stored);

        // The job, then each dataset once (a dataset both read and written keeps the last schema reported).
        var nodes = new Dictionary<LineageNodeRef, (string Namespace, string Name, string? EventType, string? Schema)>
        {
            [new LineageNodeRef(LineageNodeKind.Job, job)] = (read.JobNamespace, read.JobName, read.EventType, null),
        };
        foreach (var dataset in read.Inputs.Concat(read.Outputs))
        {
            var key = new LineageNodeRef(LineageNodeKind.ExternalDataset, ExternalLineageNode.IdOf(dataset.Namespace, dataset.Name));
            nodes[key] = (dataset.Namespace, dataset.Name, null, dataset.SchemaJson ?? (nodes.TryGetValue(key, out var seen) ? seen.Schema : null));
        }

        var ids = nodes.Keys.Select(k => k.Id).ToList();
        var existing = await db.ExternalLineageNodes.Where(n => ids.Contains(n.Id)).ToListAsync(cancellationToken);
        foreach (var (key, node) in nodes)
        {
            if (existing.FirstOrDefault(n => n.Kind == key.Kind && n.Id == key.Id) is { } known)
            {
                known.Seen(node.EventType, node.Schema, now);
            }
            else
            {
                var created = ExternalLineageNode.Create(key.Kind, node.Namespace, node.Name, now);
                created.Seen(node.EventType, node.Schema, now);
                db.ExternalLineageNodes.Add(created);
            }
        }

        var jobRef = new LineageNodeRef(LineageNodeKind.Job, job);
        var edges = new List<(LineageNodeRef From, LineageNodeRef To, LineageEdgeKind Kind)>();
        edges.AddRange(read.Inputs.Select(d => (Ref(d), jobRef, LineageEdgeKind.UsedBy)));
        edges.AddRange(read.Outputs.Select(d => (jobRef, Ref(d), LineageEdgeKind.Produced)));
        edges.AddRange(await PortalDatasetLinksAsync(db, read, cancellationToken));
        edges = [.. edges.Distinct()];

        var touched = edges.SelectMany(e => new[] { e.From.Id, e.To.Id }).Distinct().ToList();
        var recorded = await db.LineageEdges.AsNoTracking()
            .Where(e => touched.Contains(e.FromId) && touched.Contains(e.ToId))
            .Select(e => new { e.FromKind, e.FromId, e.ToKind, e.ToId, e.Kind })
            .ToListAsync(cancellationToken);
        var added = 0;
        foreach (var (from, to, kind) in edges)
        {
            if (!recorded.Any(r => r.FromKind == from.Kind && r.FromId == from.Id && r.ToKind == to.Kind && r.ToId == to.Id && r.Kind == kind))
            {
                db.LineageEdges.Add(LineageEdge.Create(from, to, kind, now));
                added++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        audit.Record(db, actor, AuditActions.LineageEventReceived, AuditSubject.LineageEvent(stored.Id), new
        {
            eventType = read.EventType,
            runId = read.RunId,
            job,
            producer = stored.Producer,
            inputs = read.Inputs.Select(d => ExternalLineageNode.IdOf(d.Namespace, d.Name)),
            outputs = read.Outputs.Select(d => ExternalLineageNode.IdOf(d.Namespace, d.Name)),
            edgesAdded = added,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return OperationResult<IngestedLineageEvent>.Ok(new IngestedLineageEvent(stored.Id, read.EventType, read.RunId, job,
            [.. nodes.Keys.Select(k => k.Key)], added));
    }

    /// <summary>Edges between external datasets in Portal's namespace and the Portal datasets of the same name, in the direction the data flowed.</summary>
    private async Task<List<(LineageNodeRef From, LineageNodeRef To, LineageEdgeKind Kind)>> PortalDatasetLinksAsync(PortalDbContext db, ReadEvent read,
        CancellationToken cancellationToken)
    {
        var ours = options.Value.Namespace;
        var names = read.Inputs.Concat(read.Outputs).Where(d => d.Namespace == ours).Select(d => d.Name).Distinct().ToList();
        if (names.Count == 0)
        {
            return [];
        }

        var datasets = await db.Datasets.AsNoTracking().Where(d => names.Contains(d.Name)).Select(d => new { d.Id, d.Name }).ToListAsync(cancellationToken);
        var links = new List<(LineageNodeRef, LineageNodeRef, LineageEdgeKind)>();
        foreach (var dataset in datasets)
        {
            var portal = new LineageNodeRef(LineageNodeKind.Dataset, dataset.Id.ToString());
            var external = new LineageNodeRef(LineageNodeKind.ExternalDataset, ExternalLineageNode.IdOf(ours, dataset.Name));
            if (read.Inputs.Any(d => d.Namespace == ours && d.Name == dataset.Name))
            {
                links.Add((portal, external, LineageEdgeKind.DerivedFrom));
            }

            if (read.Outputs.Any(d => d.Namespace == ours && d.Name == dataset.Name))
            {
                links.Add((external, portal, LineageEdgeKind.DerivedFrom));
            }
        }

        return links;
    }

    private static LineageNodeRef Ref(ReadDataset dataset) =>
        new(LineageNodeKind.ExternalDataset, ExternalLineageNode.IdOf(dataset.Namespace, dataset.Name));

    /// <summary>The indexed fields of a schema-valid event; what Portal needs beyond the schema (non-empty, bounded names) is checked here.</summary>
    private static string? Read(JsonElement root, out ReadEvent? read)
    {
        read = null;
        var eventType = root.TryGetProperty("eventType", out var type) ? type.GetString()! : OpenLineageSpec.Other;
        var eventTimeText = root.GetProperty("eventTime").GetString()!;
        if (!DateTimeOffset.TryParse(eventTimeText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var eventTime))
        {
            return $"/eventTime: '{Shorten(eventTimeText)}' is not a date-time such as 2026-12-02T10:15:00Z.";
        }

        var run = root.GetProperty("run");
        var runId = run.GetProperty("runId").GetString()!;
        var job = root.GetProperty("job");
        if (NameProblem(job, "/job", out var jobNamespace, out var jobName) is { } jobProblem)
        {
            return jobProblem;
        }

        var datasets = new Dictionary<string, List<ReadDataset>>();
        foreach (var list in new[] { "inputs", "outputs" })
        {
            datasets[list] = [];
            if (!root.TryGetProperty(list, out var items))
            {
                continue;
            }

            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                if (NameProblem(item, $"/{list}/{index}", out var ns, out var name) is { } problem)
                {
                    return problem;
                }

                datasets[list].Add(new ReadDataset(ns, name, SchemaFields(item)));
                index++;
            }
        }

        read = new ReadEvent(eventType, eventTime, runId, jobNamespace, jobName, root.GetProperty("producer").GetString()!,
            datasets["inputs"], datasets["outputs"]);
        return null;
    }

    private static string? NameProblem(JsonElement element, string at, out string @namespace, out string name)
    {
        @namespace = element.GetProperty("namespace").GetString()!;
        name = element.GetProperty("name").GetString()!;
        if (@namespace.Trim().Length == 0 || @namespace.Length > ExternalLineageNode.MaxNamespaceLength || @namespace.Any(char.IsControl))
        {
            return $"{at}/namespace: give 1 to {ExternalLineageNode.MaxNamespaceLength} characters, without control characters.";
        }

        if (name.Trim().Length == 0 || name.Length > ExternalLineageNode.MaxNameLength || name.Any(char.IsControl))
        {
            return $"{at}/name: give 1 to {ExternalLineageNode.MaxNameLength} characters, without control characters.";
        }

        return null;
    }

    /// <summary>The <c>schema</c> facet's fields as <c>[{"name","type"}]</c>, or null when the dataset carries none.</summary>
    private static string? SchemaFields(JsonElement dataset)
    {
        if (!dataset.TryGetProperty("facets", out var facets) || !facets.TryGetProperty("schema", out var facet)
            || !facet.TryGetProperty("fields", out var fields))
        {
            return null;
        }

        var list = new JsonArray();
        foreach (var field in fields.EnumerateArray())
        {
            list.Add(new JsonObject
            {
                ["name"] = field.GetProperty("name").GetString(),
                ["type"] = field.TryGetProperty("type", out var fieldType) ? fieldType.GetString() : null,
            });
        }

        return list.ToJsonString();
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static OperationResult<IngestedLineageEvent> Invalid(string message) => Fail(OperationStatus.Invalid, message);

    private static OperationResult<IngestedLineageEvent> Fail(OperationStatus status, string message) =>
        OperationResult<IngestedLineageEvent>.Fail(status, message);

    private sealed record ReadDataset(string Namespace, string Name, string? SchemaJson);

    private sealed record ReadEvent(string EventType, DateTimeOffset EventTime, string RunId, string JobNamespace, string JobName, string Producer,
        IReadOnlyList<ReadDataset> Inputs, IReadOnlyList<ReadDataset> Outputs);
}
