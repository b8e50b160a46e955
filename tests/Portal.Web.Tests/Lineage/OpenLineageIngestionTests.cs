using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Application.Lineage;
using Portal.Domain.Audit;
using Portal.Domain.Lineage;
using Portal.Domain.Security;
using Portal.Domain.Webhooks;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Lineage;

/// <summary>
/// <c>POST /api/v1/lineage</c> as an OpenLineage client (Marquez's path) uses it: a valid RunEvent becomes an event row,
/// external job and dataset nodes, used-by/produced edges (once, however often reported), a link to the Portal dataset of
/// the same name in Portal's namespace, and an audit entry; every kind of bad event is refused 4xx with the property to
/// fix and nothing stored; only IngestLineage roles with a write-scoped token may post. And OpenLineage out for external
/// runs: starting and ending one through the API queues START and COMPLETE in the outbox, valid against the same schema.
/// </summary>
public sealed class OpenLineageIngestionTests(OpenLineageIngestionTests.Factory factory) : IClassFixture<OpenLineageIngestionTests.Factory>
{
    [Fact]
    public async Task AValidMarquezStyleEventIsStoredWithItsNodesEdgesAndAuditAndAnswered201()
    {
        var client = await factory.ClientAsync(DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var portalDataset = $"customers-{Guid.NewGuid():N}"[..20];
        var uploaded = await client.UploadCsvAsync(portalDataset, "id,spend,label\n1,2,0\n3,4,1\n5,6,0\n");
        var datasetId = (await uploaded.JsonAsync()).GetProperty("datasetId").GetGuid();
        var job = $"etl.job-{Guid.NewGuid():N}";
        var runId = Guid.NewGuid();

        var response = await PostAsync(client, Event("START", runId, job, portalDataset).ToJsonString());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        var id = body.GetProperty("id").GetInt64();
        await using var db = factory.RemoteDb();
        var stored = await db.OpenLineageEvents.SingleAsync(e => e.Id == id);
        Assert.Equal(("START", runId.ToString(), "airflow", job), (stored.EventType, stored.RunId, stored.JobNamespace, stored.JobName));
        var jobId = $"airflow/{job}";
        var node = await db.ExternalLineageNodes.SingleAsync(n => n.Kind == LineageNodeKind.Job && n.Id == jobId);
        Assert.Equal("START", node.LastEventType);
        var input = await db.ExternalLineageNodes.SingleAsync(n => n.Kind == LineageNodeKind.ExternalDataset && n.Id == $"postgres://crm:5432/crm.public.{job}");
        Assert.Equal("""[{"name":"customer_id","type":"INTEGER"},{"name":"email","type":"VARCHAR"}]""", input.SchemaJson);
        var edges = (await db.LineageEdges.AsNoTracking().Where(e => e.FromId == jobId || e.ToId == jobId || e.FromId == $"portal/{portalDataset}")
                .ToListAsync())
            .Select(e => new { From = $"{e.FromKind}:{e.FromId}", To = $"{e.ToKind}:{e.ToId}", e.Kind }).ToList();
        Assert.Equal(3, edges.Count);
        Assert.Contains(edges, e => e.From == $"ExternalDataset:postgres://crm:5432/crm.public.{job}" && e.To == $"Job:{jobId}" && e.Kind == LineageEdgeKind.UsedBy);
        Assert.Contains(edges, e => e.From == $"Job:{jobId}" && e.To == $"ExternalDataset:portal/{portalDataset}" && e.Kind == LineageEdgeKind.Produced);
        // Written into Portal's namespace under a Portal dataset's name: the external dataset flows into that dataset.
        Assert.Contains(edges, e => e.From == $"ExternalDataset:portal/{portalDataset}" && e.To == $"Dataset:{datasetId}" && e.Kind == LineageEdgeKind.DerivedFrom);
        var audit = await db.AuditEntries.SingleAsync(a => a.SubjectType == AuditSubjectKinds.LineageEvent.Name && a.SubjectId == id.ToString());
        Assert.Equal(AuditActions.LineageEventReceived.Name, audit.Action);
        Assert.Equal(DemoAccounts.Scientist, audit.ActorName);
    }

    [Fact]
    public async Task ReportingTheSameLineageAgainAddsTheEventButNoDuplicateEdges()
    {
        var client = await factory.ClientAsync(DemoAccounts.Scientist, ApiScopes.Write);
        var job = $"etl.repeat-{Guid.NewGuid():N}";
        var runId = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, Event("START", runId, job, "elsewhere").ToJsonString())).StatusCode);
        int EdgeCount(Portal.Data.PortalDbContext db) => db.LineageEdges.Count(e => e.FromId == $"airflow/{job}" || e.ToId == $"airflow/{job}");
        await using (var db = factory.RemoteDb())
        {
            Assert.Equal(2, EdgeCount(db));
        }

        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, Event("START", runId, job, "elsewhere").ToJsonString())).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, Event("COMPLETE", runId, job, "elsewhere").ToJsonString())).StatusCode);

        await using (var db = factory.RemoteDb())
        {
            Assert.Equal(2, EdgeCount(db));
            Assert.Equal(3, await db.OpenLineageEvents.CountAsync(e => e.JobName == job));
            Assert.Equal("COMPLETE", (await db.ExternalLineageNodes.SingleAsync(n => n.Id == $"airflow/{job}")).LastEventType);
        }
    }

    public static TheoryData<string, string, string> BadEvents()
    {
        var runId = Guid.NewGuid();
        JsonObject Valid() => Event("START", runId, "etl.bad", "elsewhere");
        string Without(string property) { var e = Valid(); e.Remove(property); return e.ToJsonString(); }
        string With(Action<JsonObject> change) { var e = Valid(); change(e); return e.ToJsonString(); }
        return new TheoryData<string, string, string>
        {
            { "malformed JSON", """{"eventType": "START", "eventTime": """, "not valid JSON" },
            { "not an object", "[1, 2, 3]", "JSON object" },
            { "missing eventTime", Without("eventTime"), "eventTime" },
            { "eventTime not a date-time", With(e => e["eventTime"] = "yesterday"), "/eventTime" },
            { "unknown eventType", With(e => e["eventType"] = "FINISHED"), "/eventType" },
            { "runId not a UUID", With(e => e["run"]!["runId"] = "run-42"), "/run/runId" },
            { "job name a number", With(e => e["job"]!["name"] = 42), "/job/name" },
            { "missing job", Without("job"), "job" },
            { "inputs not an array", With(e => e["inputs"] = "customers"), "/inputs" },
            { "schema facet field type a number", With(e => e["inputs"]![0]!["facets"]!["schema"]!["fields"]![0]!["type"] = 7), "/inputs/0/facets/schema/fields/0/type" },
            { "facet without _producer", With(e => e["inputs"]![0]!["facets"]!["schema"]!.AsObject().Remove("_producer")), "/inputs/0/facets/schema" },
            { "empty job name", With(e => e["job"]!["name"] = " "), "/job/name" },
        };
    }

    [Theory]
    [MemberData(nameof(BadEvents))]
    public async Task ABadEventIsRefused400NamingWhatToFixAndNothingIsStored(string what, string body, string named)
    {
        var client = await factory.ClientAsync(DemoAccounts.Scientist, ApiScopes.Write);
        var before = await CountsAsync();

        var response = await PostAsync(client, body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.JsonAsync()).GetProperty("detail").GetString();
        Assert.Contains(named, detail, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task AnEventOverOneMegabyteIsRefused413AndNotStored()
    {
        var client = await factory.ClientAsync(DemoAccounts.Scientist, ApiScopes.Write);
        var big = Event("START", Guid.NewGuid(), "etl.big", "elsewhere");
        big["job"]!["facets"] = new JsonObject { ["padding"] = new JsonObject { ["_producer"] = "urn:x", ["_schemaURL"] = "urn:y", ["text"] = new string('x', 1024 * 1024) } };
        var before = await CountsAsync();

        var response = await PostAsync(client, big.ToJsonString());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task AnEventSentAsTextIsRefused415()
    {
        var client = await factory.ClientAsync(DemoAccounts.Scientist, ApiScopes.Write);
        var response = await client.PostAsync("/api/v1/lineage",
            new StringContent(Event("START", Guid.NewGuid(), "etl.text", "elsewhere").ToJsonString(), Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData(DemoAccounts.Scientist, ApiScopes.Read)] // the right role, a read-only token
    [InlineData(DemoAccounts.Manager, ApiScopes.Write)] // a role that may not ingest lineage
    [InlineData(DemoAccounts.Dpo, ApiScopes.Write)]
    public async Task PostingLineageNeedsAnIngestingRoleWithAWriteToken(string email, string scope)
    {
        var client = await factory.ClientAsync(email, scope);
        var before = await CountsAsync();

        var response = await PostAsync(client, Event("START", Guid.NewGuid(), "etl.refused", "elsewhere").ToJsonString());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task StartingAndEndingAnExternalRunQueuesStartAndCompleteEventsThatMatchTheSchema()
    {
        var client = await factory.ClientAsync(DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var experiment = $"notebook-{Guid.NewGuid():N}"[..24];
        var started = await client.PostAsJsonAsync("/api/runs", new { experiment, mode = "external", task = "binary" });
        var runId = (await started.JsonAsync()).GetProperty("runId").GetGuid();
        var ended = await client.PostAsJsonAsync($"/api/runs/{runId}/end", new { status = "Succeeded" });
        Assert.True(ended.IsSuccessStatusCode, await ended.Content.ReadAsStringAsync());

        await using var db = factory.RemoteDb();
        var subscription = WebhookSubscription.OpenLineageIdFor(Factory.Endpoint);
        var payloads = await db.WebhookDeliveries.Where(d => d.SubscriptionId == subscription && d.EventType == WebhookEventTypes.OpenLineageRunEvent)
            .OrderBy(d => d.CreatedUtc).Select(d => d.Payload).ToListAsync();
        var events = payloads.Select(p => JsonDocument.Parse(p).RootElement).Where(e => e.GetProperty("run").GetProperty("runId").GetGuid() == runId).ToList();
        Assert.Equal(["START", "COMPLETE"], events.Select(e => e.GetProperty("eventType").GetString()));
        var schema = factory.Services.GetRequiredService<OpenLineageSchema>();
        Assert.All(events, e => Assert.Null(schema.Problem(e)));
        Assert.All(events, e => Assert.Equal(("portal", experiment), (e.GetProperty("job").GetProperty("namespace").GetString(), e.GetProperty("job").GetProperty("name").GetString())));
        // No webhook of an administrator's gets them: only the system subscription of the configured endpoint.
        Assert.Equal(WebhookSubscription.SystemCreator, (await db.WebhookSubscriptions.SingleAsync(s => s.Id == subscription)).CreatedById);
    }

    /// <summary>A Marquez-style RunEvent: an Airflow job reading a Postgres table and writing <paramref name="output"/> in Portal's namespace.</summary>
    public static JsonObject Event(string eventType, Guid runId, string job, string output) => new()
    {
        ["eventType"] = eventType,
        ["eventTime"] = "2026-12-02T10:15:00.000Z",
        ["run"] = new JsonObject { ["runId"] = runId.ToString() },
        ["job"] = new JsonObject { ["namespace"] = "airflow", ["name"] = job },
        ["inputs"] = new JsonArray(new JsonObject
        {
            ["namespace"] = "postgres://crm:5432",
            ["name"] = $"crm.public.{job}",
            ["facets"] = new JsonObject
            {
                ["schema"] = new JsonObject
                {
                    ["_producer"] = "https://github.com/OpenLineage/OpenLineage/tree/1.24.0/integration/airflow",
                    ["_schemaURL"] = "https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet",
                    ["fields"] = new JsonArray(
                        new JsonObject { ["name"] = "customer_id", ["type"] = "INTEGER" },
                        new JsonObject { ["name"] = "email", ["type"] = "VARCHAR" }),
                },
            },
        }),
        ["outputs"] = new JsonArray(new JsonObject { ["namespace"] = "portal", ["name"] = output }),
        ["producer"] = "https://github.com/OpenLineage/OpenLineage/tree/1.24.0/integration/airflow",
        ["schemaURL"] = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
    };

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string body) =>
        client.PostAsync("/api/v1/lineage", new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task<(int Events, int Nodes, int Edges, int Audit)> CountsAsync()
    {
        await using var db = factory.RemoteDb();
        return (await db.OpenLineageEvents.CountAsync(), await db.ExternalLineageNodes.CountAsync(), await db.LineageEdges.CountAsync(),
            await db.AuditEntries.CountAsync(a => a.Action == AuditActions.LineageEventReceived.Name));
    }

    /// <summary>The app with OpenLineage emission on (to an endpoint nobody listens at: no dispatcher runs here) and a token client per user and scopes.</summary>
    public sealed class Factory : PortalAppFactory
    {
        public const string Endpoint = "http://127.0.0.1:9/api/v1/lineage";

        private readonly Dictionary<string, HttpClient> clients = [];

        public async Task<HttpClient> ClientAsync(string email, params string[] scopes)
        {
            var key = email + string.Join(',', scopes);
            if (!clients.TryGetValue(key, out var client))
            {
                var token = await TokenFactory.CreateAsync(Services, email, scopes);
                client = TokenFactory.ClientWith(this, token.Token);
                clients[key] = client;
            }

            return client;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("OpenLineage:Endpoint", Endpoint);
        }
    }
}
