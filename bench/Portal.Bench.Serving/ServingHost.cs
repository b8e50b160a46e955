using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Application.Registry;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Registry;
using Portal.Domain.Security;
using Portal.Domain.Serving;
using Portal.Data.Serving;
using Portal.Web.Features.Tokens;

namespace Portal.Bench.Serving;

/// <summary>
/// The real app (Release, logging cut to warnings) on real Kestrel on a loopback port, a SQLite file in a temp folder,
/// demo users on, demo data and embedded worker off; prediction logging on or off. <see cref="DeployAsync"/> puts a model
/// zip in Production through the real API (external run, registration, promotion request, approval), standing in for
/// the worker's evaluation as the web tests' driver does.
/// </summary>
internal sealed class ServingHost : WebApplicationFactory<Program>
{
    private const string Password = "Bench-Password-2026!";
    private readonly bool logPredictions;

    public ServingHost(string dataDirectory, bool logPredictions)
    {
        DataDirectory = dataDirectory;
        this.logPredictions = logPredictions;
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    public string DataDirectory { get; }

    public Uri Address => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:DataDirectory", DataDirectory);
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:SeedData", "false");
        builder.UseSetting("Demo:Traffic:Enabled", "false");
        builder.UseSetting("Demo:Password", Password);
        builder.UseSetting("Worker:Embedded", "false");
        builder.UseSetting("Serving:LogPredictions", logPredictions ? "true" : "false");
        builder.UseSetting("Serving:MaxBatchRows", "10000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Warning");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    /// <summary>A plain HTTP client (no test handler) to the Kestrel address with a bearer token of the user, of these scopes.</summary>
    public async Task<HttpClient> ClientAsync(string email, params string[] scopes)
    {
        await using var scope = Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email)
                   ?? throw new InvalidOperationException($"No user {email}");
        var token = await Services.GetRequiredService<TokenService>()
            .CreateAsync(user.Id, new CreateTokenRequest("bench", scopes, 7), AuditActor.User(user.Id, email), CancellationToken.None);
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromMinutes(2),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Value!.Token);
        return client;
    }

    public async Task<string> DeployAsync(byte[] modelZip)
    {
        var scientist = await ClientAsync("scientist@portal.local", ApiScopes.Read, ApiScopes.Write);
        var manager = await ClientAsync("manager@portal.local", ApiScopes.Read, ApiScopes.Write);
        var started = await Ok(await scientist.PostAsJsonAsync("/api/runs", new { experiment = "serving-bench", mode = "external", labelColumn = "label", task = "binary" }));
        var runId = started.GetProperty("runId").GetGuid();
        var file = new ByteArrayContent(modelZip);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        await Ok(await scientist.PostAsync($"/api/runs/{runId}/artifact", file));
        await Ok(await scientist.PostAsJsonAsync($"/api/runs/{runId}/end", new { status = "Succeeded" }));
        const string name = "bench-lightgbm";
        await Ok(await scientist.PostAsJsonAsync("/api/models", new { name, description = "serving benchmark", riskTier = "Low" }));
        await Ok(await scientist.PostAsJsonAsync($"/api/models/{name}/versions", new { runId }));
        var requested = await Ok(await scientist.PostAsJsonAsync("/api/promotions", new { model = name, version = 1, targetStage = "Production", justification = "benchmark" }));
        var requestId = new PromotionRequestId(requested.GetProperty("requestId").GetGuid());
        var gates = Enum.GetValues<PromotionGate>().Where(g => g != PromotionGate.HumanApproval)
            .Select(g => new GateResult(g, GateVerdict.Passed, $"The {g} gate passed.")).ToList();
        var evidence = JsonSerializer.Serialize(new { requestId = requestId.Value, note = "benchmark stand-in evaluation" });
        var done = await Services.GetRequiredService<PromotionWorkflow>().CompleteEvaluationAsync(requestId, gates, evidence, null, AuditActor.Service("bench"), CancellationToken.None);
        if (!done.Succeeded)
        {
            throw new InvalidOperationException(done.Error);
        }

        await Ok(await manager.PostAsJsonAsync($"/api/promotions/{requestId.Value}/approve", new { comment = "benchmark", evidenceHash = EvidenceHash.ComputeFromJson(evidence) }));
        return name;
    }

    public async Task<int> LoggedBatchesAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.PredictionBatches.CountAsync();
    }

    /// <summary>
    /// Settles what the last phase left to the disk: the log's WAL copied into the database file and truncated, and the
    /// kernel's dirty pages written out, so that the next phase does not pay for the previous one's I/O.
    /// </summary>
    public async Task SettleDiskAsync()
    {
        await using (var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }

        using var sync = System.Diagnostics.Process.Start("sync");
        await sync.WaitForExitAsync();
    }

    /// <summary>
    /// The log writer alone: <paramref name="flushes"/> flushes of <paramref name="requestsPerFlush"/> requests of
    /// <paramref name="rowsPerRequest"/> rows (the bench's request JSON, and a binary output per row) through the
    /// provider's bulk path, as the writer does: requests per second, megabytes per second, and the share of one core
    /// the process used meanwhile.
    /// </summary>
    public async Task<string> LogWriterRowsPerSecondAsync(byte[] requestJson, int flushes, int requestsPerFlush, int rowsPerRequest)
    {
        var dbFactory = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var writer = Services.GetRequiredService<PredictionLogBatchWriter>();
        ModelVersion version;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            version = await db.ModelVersions.AsNoTracking().FirstAsync();
        }

        using var rowsOf = JsonDocument.Parse(requestJson);
        var rows = System.Text.Encoding.UTF8.GetBytes(rowsOf.RootElement.GetProperty("rows").GetRawText());
        var output = System.Text.Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat("""{"predictedLabel":"true","probabilities":{"true":0.8316,"false":0.1684}}""", rowsPerRequest)) + "]");
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var f = 0; f < flushes; f++)
        {
            var now = DateTimeOffset.UtcNow;
            var batch = Enumerable.Range(0, requestsPerFlush).Select(_ => new PredictionLogRow(PredictionBatchId.New(now), version.ModelId, version.Id, version.Number, null,
                ServingArm.Champion, now.UtcDateTime, rowsPerRequest, 0, 20, rows, output)).ToList();
            await using var db = await dbFactory.CreateDbContextAsync();
            await writer.InsertAsync(db, batch, CancellationToken.None);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var core = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / seconds;
        var requests = flushes * requestsPerFlush;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{requests / seconds:N0} requests/s, {requests * rowsPerRequest / seconds:N0} rows/s, {requests * (rows.Length + output.Length) / seconds / 1e6:F1} MB/s, {core:P0} of a core");
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        }

        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }
}
