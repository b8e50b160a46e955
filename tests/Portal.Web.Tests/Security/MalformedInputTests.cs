using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Webhooks;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Security;

/// <summary>
/// The property "no request can produce a 5xx": every API endpoint, discovered from the app, gets hostile input —
/// malformed JSON, every field of a valid body replaced by a value of the wrong type, null, an out-of-range number or
/// date, a 1 MB string, arrays holding null; malformed multipart and raw bodies; wrong content types and methods;
/// hostile query strings and route values. Every answer is below 500; every refusal is application/problem+json
/// with a detail and leaves every table's row count and the data folder unchanged. Input that is certainly wrong
/// (wrong types, malformed bodies, nulls in arrays, 1 MB strings) must be refused; values that may be legal where
/// they land (-1, null for an optional field) may also be accepted.
/// </summary>
public sealed class MalformedInputTests(MalformedInputTests.Fixture fixture) : IClassFixture<MalformedInputTests.Fixture>
{
    private const string UnknownId = "0b5f7c3e-1d2a-4e6f-9a8b-7c6d5e4f3a2b";

    private static readonly string OneMegabyte = new('x', 1024 * 1024);

    [Fact]
    public async Task JsonBodiesWithMalformedOrHostileValuesAreRefusedAsProblemsWithoutWriting()
    {
        var failures = new List<string>();
        var missingSamples = new List<string>();
        var endpoints = ApiEndpoints().Where(e => e.JsonBody is not null).ToList();
        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            if (!SampleBodies.ContainsKey(endpoint.Key))
            {
                missingSamples.Add(endpoint.Key);
                continue;
            }

            foreach (var (route, idKind) in await RouteVariantsAsync(endpoint))
            {
                var sample = SampleBodies[endpoint.Key](fixture);
                var cases = idKind == "valid" ? JsonCases(sample).ToList() : [.. JsonCases(sample).Take(4)];
                foreach (var (description, body, mustRefuse, contentType) in cases)
                {
                    var url = await fixture.FillAsync(route, endpoint, idKind);
                    await CheckAsync(endpoint, url, $"{idKind} id, {description}",
                        () => new StringContent(body, Encoding.UTF8, contentType), mustRefuse || idKind != "valid", failures);
                }
            }
        }

        Assert.True(missingSamples.Count == 0, "Give these JSON endpoints a valid sample body in SampleBodies: " + string.Join(", ", missingSamples));
        Assert.True(failures.Count == 0, $"{failures.Count} failing cases:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task MalformedMultipartAndRawBodiesAreRefusedAsProblemsWithoutWriting()
    {
        var failures = new List<string>();
        var endpoints = ApiEndpoints().Where(e => e.RawBody).ToList();
        Assert.Contains(endpoints, e => e.Multipart);
        foreach (var endpoint in endpoints)
        {
            foreach (var (route, idKind) in await RouteVariantsAsync(endpoint))
            {
                foreach (var (description, content, malformed) in RawCases(fixture))
                {
                    var url = await fixture.FillAsync(route, endpoint, idKind);
                    // A multipart endpoint must refuse every malformed body; a raw one (a model file) may take any non-empty bytes.
                    var mustRefuse = idKind != "valid" || (endpoint.Multipart ? malformed : description == "empty body");
                    await CheckAsync(endpoint, url, $"{idKind} id, {description}", content, mustRefuse, failures);
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failing cases:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task HostileQueryStringsRouteValuesMethodsAndContentTypesAreAnsweredAsProblems()
    {
        var failures = new List<string>();
        foreach (var endpoint in ApiEndpoints())
        {
            foreach (var (route, idKind) in await RouteVariantsAsync(endpoint))
            {
                var url = await fixture.FillAsync(route, endpoint, idKind);
                if (endpoint.Method == "GET")
                {
                    foreach (var parameter in endpoint.QueryParameters)
                    {
                        foreach (var value in new[] { "abc", "1e400", "9223372036854775807", "-1", "253402300800000", "", "%00", new string('q', 10_000) })
                        {
                            await CheckAsync(endpoint, $"{url}?{parameter}={value}", $"{idKind} id, ?{parameter}={Shorten(value)}", null,
                                idKind == "not-a-guid", failures);
                        }
                    }

                    await CheckAsync(endpoint, url, $"{idKind} id, no query", null, idKind == "not-a-guid", failures);
                }

                // A method the route does not take: 405 with a problem body.
                await CheckAsync(endpoint with { Method = "PATCH" }, url, $"{idKind} id, PATCH", null, true, failures);
                if (endpoint.JsonBody is not null)
                {
                    await CheckAsync(endpoint, url, $"{idKind} id, text/plain body",
                        () => new StringContent("{}", Encoding.UTF8, "text/plain"), true, failures);
                    await CheckAsync(endpoint, url, $"{idKind} id, body without content type",
                        () => new ByteArrayContent("{}"u8.ToArray()), true, failures);
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failing cases:\n" + string.Join("\n", failures));
    }

    /// <summary>Sends one case and records what is wrong with the answer: a 5xx, an accepted certain error, a refusal that is not a problem or that wrote.</summary>
    private async Task CheckAsync(ApiEndpoint endpoint, string url, string description, Func<HttpContent>? content, bool mustRefuse, List<string> failures)
    {
        var client = await fixture.ClientForAsync(endpoint.Role);
        var before = fixture.Snapshot();
        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), url) { Content = content?.Invoke() };
        using var response = await client.SendAsync(request);
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        var what = $"{endpoint.Method} {endpoint.Route} [{description}]: {status}";
        if (status >= 500)
        {
            failures.Add($"{what} {Shorten(body, 300)}");
        }
        else if (status < 400)
        {
            if (mustRefuse)
            {
                failures.Add($"{what}, expected a 4xx");
            }

            if (endpoint.Method != "GET")
            {
                fixture.Invalidate(endpoint);
            }
        }
        else
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{what} with content type '{response.Content.Headers.ContentType}' and body '{Shorten(body, 100)}', expected application/problem+json");
            }
            else if (!HasDetail(body))
            {
                failures.Add($"{what} problem without a detail: {Shorten(body, 200)}");
            }

            var after = fixture.Snapshot();
            if (after != before)
            {
                failures.Add($"{what} refused but wrote: {before} -> {after}");
            }
        }
    }

    private static bool HasDetail(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 };
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Valid bodies per JSON endpoint, whose every node the test then replaces by hostile values.</summary>
    private static readonly Dictionary<string, Func<Fixture, JsonNode>> SampleBodies = new()
    {
        ["POST /api/users/"] = _ => new JsonObject
        {
            ["email"] = "fuzz-user@portal.local", ["displayName"] = "Fuzz User", ["password"] = "Fuzz-Password-2026!",
            ["roles"] = new JsonArray(Roles.DataScientist),
        },
        ["POST /api/experiments/"] = _ => new JsonObject { ["name"] = "fuzz-experiment", ["description"] = "made by the fuzz test" },
        ["PUT /api/experiments/{id:guid}/description"] = _ => new JsonObject { ["description"] = "described by the fuzz test" },
        ["POST /api/runs/"] = f => new JsonObject
        {
            ["experiment"] = "fuzz-runs", ["datasetId"] = f.DatasetId.ToString(), ["datasetVersion"] = 1, ["labelColumn"] = "label",
            ["task"] = "binary", ["trainer"] = "LightGbm", ["hyperparameters"] = new JsonObject { ["numberOfIterations"] = 5 },
            ["validationFraction"] = 0.2, ["seed"] = 3,
        },
        ["POST /api/runs/{id:guid}/log-batch"] = _ => new JsonObject
        {
            ["metrics"] = new JsonArray(new JsonObject { ["key"] = "loss", ["value"] = 0.5, ["step"] = 1, ["timestamp"] = 1_700_000_000_000 }),
            ["params"] = new JsonArray(new JsonObject { ["key"] = "lr", ["value"] = "0.1" }),
            ["tags"] = new JsonArray(new JsonObject { ["key"] = "team", ["value"] = "fuzz" }),
        },
        ["POST /api/runs/{id:guid}/end"] = _ => new JsonObject { ["status"] = "Failed", ["reason"] = "ended by the fuzz test" },
        ["PUT /api/datasets/{id:guid}/versions/{version}/columns/{column}/classification"] = _ => new JsonObject
        {
            ["classification"] = "Personal", ["sensitive"] = true,
        },
        ["POST /api/models/"] = _ => new JsonObject { ["name"] = "fuzz-model", ["description"] = "made by the fuzz test", ["riskTier"] = "Low" },
        ["PUT /api/models/{name}/risk-tier"] = _ => new JsonObject { ["riskTier"] = "High" },
        ["PUT /api/models/{name}/hold-out"] = f => new JsonObject { ["datasetId"] = f.DatasetId.ToString(), ["version"] = 1 },
        ["POST /api/models/{name}/versions"] = f => new JsonObject { ["runId"] = f.ModelRunId.ToString() },
        ["POST /api/promotions/"] = f => new JsonObject
        {
            ["model"] = f.PromotionModel, ["version"] = 1, ["targetStage"] = "Staging", ["justification"] = "requested by the fuzz test",
        },
        ["POST /api/promotions/{id:guid}/approve"] = _ => new JsonObject { ["comment"] = "approved by the fuzz test", ["evidenceHash"] = new string('a', 64) },
        ["POST /api/promotions/{id:guid}/reject"] = _ => new JsonObject { ["comment"] = "rejected by the fuzz test" },
        ["POST /api/promotions/{id:guid}/sign-off"] = _ => new JsonObject
        {
            ["allow"] = true, ["comment"] = "signed off by the fuzz test", ["evidenceHash"] = new string('a', 64),
        },
        ["POST /api/promotions/{id:guid}/accept-fairness"] = _ => new JsonObject { ["reason"] = "accepted by the fuzz test", ["evidenceHash"] = new string('a', 64) },
        ["POST /api/promotions/{id:guid}/override"] = _ => new JsonObject { ["reason"] = "overridden by the fuzz test" },
        ["POST /api/rollouts/{id:guid}/pause"] = _ => new JsonObject { ["reason"] = "paused by the fuzz test" },
        ["POST /api/rollouts/{id:guid}/resume"] = _ => new JsonObject { ["reason"] = "resumed by the fuzz test" },
        ["POST /api/rollouts/{id:guid}/abort"] = _ => new JsonObject { ["reason"] = "aborted by the fuzz test" },
        ["POST /api/rollouts/{id:guid}/rollback"] = _ => new JsonObject { ["reason"] = "rolled back by the fuzz test" },
        ["POST /api/alerts/{id:guid}/acknowledge"] = _ => new JsonObject { ["comment"] = "acknowledged by the fuzz test" },
        ["POST /api/alerts/{id:guid}/resolve"] = _ => new JsonObject { ["comment"] = "resolved by the fuzz test" },
        ["PUT /api/models/{name}/rollout-policy"] = _ => new JsonObject
        {
            ["steps"] = new JsonArray(10, 50, 100), ["minimumSamplesPerArm"] = 200, ["minimumStepSeconds"] = 300, ["maximumStepSeconds"] = 86_400,
            ["taskMetricMargin"] = 0.02, ["errorRateMargin"] = 0.01, ["confidence"] = 0.95, ["clear"] = false,
        },
        ["PUT /api/models/{name}/monitoring-policy"] = _ => new JsonObject
        {
            ["windowMinutes"] = 5, ["windowRows"] = 500, ["accuracyDrop"] = 0.05, ["minimumLabels"] = 50, ["psiThreshold"] = 0.2, ["pValueThreshold"] = 0.05,
            ["statisticalTestMaxRows"] = 1000, ["missingRateThreshold"] = 0.1, ["outOfRangeRateThreshold"] = 0.1, ["unseenRateThreshold"] = 0.1,
            ["schemaViolationRateThreshold"] = 0.05, ["cooldownMinutes"] = 30,
        },
        ["PUT /api/models/{name}/retraining-policy"] = _ => new JsonObject
        {
            ["onDrift"] = true, ["onAccuracyDrop"] = true, ["scheduleHours"] = 24, ["minimumRows"] = 500, ["minimumHoursBetween"] = 1,
        },
        ["POST /api/models/{name}/predict"] = _ => new JsonObject
        {
            ["rows"] = new JsonArray(new JsonObject { ["income"] = 5.5, ["debt"] = 1.25, ["age"] = 4 }), ["routingKey"] = "customer-1",
        },
        ["POST /api/feedback"] = _ => new JsonObject
        {
            ["items"] = new JsonArray(new JsonObject { ["predictionId"] = UnknownId, ["actualLabel"] = "true" }),
        },
        ["POST /api/v1/lineage"] = f => Lineage.OpenLineageIngestionTests.Event("START", Guid.NewGuid(), $"fuzz.job-{f.NextNumber()}", "fuzz-output"),
        ["POST /api/erasure/impact"] = _ => new JsonObject { ["column"] = "a", ["value"] = "fuzz-subject" },
        ["POST /api/erasure/requests"] = _ => new JsonObject { ["column"] = "a", ["value"] = "fuzz-subject-nobody-has", ["reason"] = "marked by the fuzz test" },
        ["POST /api/dataset-versions/{versionId:guid}/purge"] = _ => new JsonObject { ["confirm"] = true, ["reason"] = "purged by the fuzz test" },
        ["POST /api/audit/checkpoints/verify"] = _ => new JsonObject
        {
            ["id"] = 1, ["sequence"] = 1, ["headHash"] = new string('a', 64), ["createdUtc"] = "2026-12-01T10:00:00.000000Z",
            ["keyId"] = new string('b', 64), ["algorithm"] = "ECDSA-P256-SHA256", ["signature"] = "MEUCIQDfuzz",
        },
        ["POST /api/webhooks/"] = f => new JsonObject
        {
            ["name"] = $"fuzz-hook-{f.NextNumber()}", ["url"] = "https://hooks.example.com/portal", ["events"] = new JsonArray("promotion.approved"),
        },
    };

    /// <summary>Malformed documents, then every node of the sample replaced by each hostile value.</summary>
    private static IEnumerable<(string Description, string Body, bool MustRefuse, string ContentType)> JsonCases(JsonNode sample)
    {
        const string json = "application/json";
        yield return ("empty body", "", true, json);
        yield return ("truncated JSON", sample.ToJsonString()[..^2], true, json);
        yield return ("not JSON", "this is not json", true, json);
        yield return ("JSON null", "null", true, json);
        yield return ("JSON array", "[]", true, json);
        yield return ("JSON string", "\"text\"", true, json);
        yield return ("JSON number 1e400", "1e400", true, json);
        yield return ("sample body", sample.ToJsonString(), false, json);
        foreach (var (path, node) in Nodes(sample, "$"))
        {
            foreach (var (label, replacement, mustRefuse) in Hostile(node, path))
            {
                var mutated = Replace(sample, path, replacement);
                yield return ($"{path} = {label}", mutated, mustRefuse, json);
            }
        }
    }

    private static IEnumerable<(string Label, string Json, bool MustRefuse)> Hostile(JsonNode? node, string path)
    {
        var inArray = path.EndsWith(']');
        yield return ("null", "null", inArray || path == "$");
        switch (node?.GetValueKind())
        {
            case JsonValueKind.Object:
                yield return ("[]", "[]", true);
                yield return ("\"text\"", "\"text\"", true);
                break;
            case JsonValueKind.Array:
                yield return ("{}", "{}", true);
                yield return ("[null]", "[null]", true);
                yield return ("[[]]", "[[]]", true);
                yield return ("\"text\"", "\"text\"", true);
                break;
            case JsonValueKind.String:
                yield return ("123", "123", true);
                yield return ("{}", "{}", true);
                yield return ("[]", "[]", true);
                yield return ("1 MB string", JsonSerializer.Serialize(OneMegabyte), true);
                yield return ("\"\"", "\"\"", false);
                break;
            case JsonValueKind.Number:
                yield return ("\"abc\"", "\"abc\"", true);
                yield return ("true", "true", true);
                yield return ("{}", "{}", true);
                yield return ("1e400", "1e400", true);
                yield return ("long.MaxValue", long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), false);
                yield return ("long.MinValue", long.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture), false);
                yield return ("-1", "-1", false);
                yield return ("253402300800000 (ms after 9999-12-31)", "253402300800000", false);
                yield return ("0.5", "0.5", false);
                break;
        }
    }

    private static IEnumerable<(string Path, JsonNode? Node)> Nodes(JsonNode? node, string path)
    {
        if (path != "$")
        {
            yield return (path, node);
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    foreach (var nested in Nodes(child, $"{path}.{name}"))
                    {
                        yield return nested;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var nested in Nodes(array[i], $"{path}[{i}]"))
                    {
                        yield return nested;
                    }
                }

                break;
        }
    }

    private static string Replace(JsonNode sample, string path, string replacementJson)
    {
        const string marker = "\"__fuzz_replacement__\"";
        var copy = sample.DeepClone();
        JsonNode? parent = copy;
        var steps = System.Text.RegularExpressions.Regex.Matches(path[1..], @"\.([^.\[]+)|\[(\d+)\]").ToList();
        for (var i = 0; i < steps.Count; i++)
        {
            var last = i == steps.Count - 1;
            if (steps[i].Groups[1].Success)
            {
                var name = steps[i].Groups[1].Value;
                if (last)
                {
                    parent!.AsObject()[name] = JsonValue.Create("__fuzz_replacement__");
                }
                else
                {
                    parent = parent!.AsObject()[name];
                }
            }
            else
            {
                var index = int.Parse(steps[i].Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (last)
                {
                    parent!.AsArray()[index] = JsonValue.Create("__fuzz_replacement__");
                }
                else
                {
                    parent = parent!.AsArray()[index];
                }
            }
        }

        return copy!.ToJsonString().Replace(marker, replacementJson, StringComparison.Ordinal);
    }

    /// <summary>Raw bodies: (description, content, malformed for a multipart endpoint).</summary>
    private static IEnumerable<(string Description, Func<HttpContent> Content, bool Malformed)> RawCases(Fixture f)
    {
        const string boundary = "fuzz-boundary";
        var csv = "a,b,label\n1,2,0\n3,4,1\n5,6,0\n";
        string Part(string name, string value, string? extraHeaders = null, string? fileName = null) =>
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{(fileName is null ? "" : $"; filename=\"{fileName}\"")}\r\n{extraHeaders}\r\n{value}\r\n";
        Func<HttpContent> Multipart(string body, string contentBoundary = boundary) => () =>
        {
            var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body)); // Latin-1: each char one byte, so the PNG signature stays binary
            content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={contentBoundary}");
            return content;
        };
        Func<HttpContent> Bytes(byte[] bytes, string? type) => () =>
        {
            var content = new ByteArrayContent(bytes);
            if (type is not null)
            {
                content.Headers.ContentType = new MediaTypeHeaderValue(type);
            }

            return content;
        };

        var name = $"fuzz-multipart-{f.NextNumber()}";
        var manyHeaders = string.Concat(Enumerable.Range(0, 20).Select(i => $"X-Header-{i}: {i}\r\n"));
        yield return ("empty body", Bytes([], "application/octet-stream"), true);
        yield return ("empty multipart body", Multipart(""), true);
        yield return ("multipart without closing boundary", Multipart(Part("name", name) + Part("file", csv, fileName: "a.csv")), true);
        yield return ("multipart with the wrong boundary", Multipart(Part("name", name) + Part("file", csv, fileName: "a.csv") + $"--{boundary}--\r\n", "other-boundary"), true);
        yield return ("multipart part header over 16 KB", Multipart(Part("name", name, $"X-Long: {new string('h', 17 * 1024)}\r\n") + Part("file", csv, fileName: "a.csv") + $"--{boundary}--\r\n"), true);
        yield return ("multipart part with 20 headers", Multipart(Part("name", name, manyHeaders) + Part("file", csv, fileName: "a.csv") + $"--{boundary}--\r\n"), true);
        yield return ("multipart name part of 10 KB", Multipart(Part("name", new string('n', 10 * 1024)) + Part("file", csv, fileName: "a.csv") + $"--{boundary}--\r\n"), true);
        yield return ("multipart name part of 10 KB after the file", Multipart(Part("file", csv, fileName: "a.csv") + Part("name", new string('n', 10 * 1024)) + $"--{boundary}--\r\n"), true);
        yield return ("multipart with two file parts", Multipart(Part("name", name) + Part("file", csv, fileName: "a.csv") + Part("file", csv, fileName: "b.csv") + $"--{boundary}--\r\n"), true);
        yield return ("multipart without content disposition", Multipart($"--{boundary}\r\n\r\n{csv}\r\n--{boundary}--\r\n"), true);
        yield return ("multipart with a PNG as the file", Multipart(Part("name", name) + Part("file", "\u0089PNG\r\n\u001a\n\0\0\0\rIHDR\0\0\0\u0001", fileName: "a.csv") + $"--{boundary}--\r\n"), true);
        yield return ("multipart content type without boundary", Bytes(Encoding.UTF8.GetBytes(Part("name", name)), "multipart/form-data"), true);
        yield return ("garbage bytes", Bytes([0, 1, 2, 255, 254, 13, 10, 45, 45], "application/octet-stream"), true);
        yield return ("JSON body", Bytes("{\"name\":\"x\"}"u8.ToArray(), "application/json"), true);
        yield return ("no content type", Bytes("abc"u8.ToArray(), null), true);
    }

    private async Task<List<(string Route, string IdKind)>> RouteVariantsAsync(ApiEndpoint endpoint)
    {
        await fixture.EnsureSetUpAsync();
        return endpoint.Route.Contains('{')
            ? [(endpoint.Route, "valid"), (endpoint.Route, "unknown"), (endpoint.Route, "not-a-guid")]
            : [(endpoint.Route, "none")];
    }

    private List<ApiEndpoint> ApiEndpoints() =>
        fixture.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => ApiEndpoint.From(m, e)))
            .ToList();

    private static string Shorten(string text, int length = 40) => text.Length <= length ? text : text[..length] + $"…({text.Length} chars)";

    /// <summary>An endpoint as the test drives it: who may call it and what it reads from the request.</summary>
    public sealed record ApiEndpoint(string Method, string Route, string Role, Type? JsonBody, bool RawBody, bool Multipart, IReadOnlyList<string> QueryParameters)
    {
        public string Key => $"{Method} {Route}";

        public static ApiEndpoint From(string method, RouteEndpoint endpoint)
        {
            var policy = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().LastOrDefault(a => a.Policy is not null)?.Policy
                         ?? Policies.SignedIn;
            // Data scientists own runs and tokens; otherwise the first role the matrix allows.
            var role = new[] { Roles.DataScientist, Roles.Administrator, Roles.DataProtectionOfficer, Roles.BusinessManager }
                .First(r => AuthorizationMatrix.IsAllowed(policy, [r]));
            var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
            var handler = endpoint.Metadata.GetMetadata<MethodInfo>();
            var routeNames = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var parameters = handler?.GetParameters() ?? [];
            var query = parameters
                .Where(p => !routeNames.Contains(p.Name!) && IsSimple(p.ParameterType))
                .Select(p => p.Name!).ToList();
            var raw = parameters.Any(p => p.ParameterType == typeof(HttpRequest) || p.ParameterType == typeof(HttpContext) || p.ParameterType == typeof(Stream))
                      && method is "POST" or "PUT" or "PATCH";
            var json = accepts?.ContentTypes.Contains("application/json") == true ? accepts.RequestType : null;
            // Multipart endpoints read the body themselves (no accepts metadata, which would answer 415 before 403) and say so in their summary.
            var multipart = accepts?.ContentTypes.Contains("multipart/form-data") == true
                            || endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary.Contains("multipart", StringComparison.OrdinalIgnoreCase) == true;
            return new ApiEndpoint(method, endpoint.RoutePattern.RawText!, role, json, raw && json is null, multipart, query);
        }

        private static bool IsSimple(Type type)
        {
            var t = Nullable.GetUnderlyingType(type) ?? type;
            return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(Guid) || t == typeof(decimal) || t == typeof(DateTime) || t == typeof(DateTimeOffset);
        }
    }

    /// <summary>One app; a token per role (read, write, predict); a valid id of each kind, made again after a request consumed it.</summary>
    public sealed class Fixture : PortalAppFactory
    {
        private readonly Dictionary<string, HttpClient> clients = [];
        private readonly Dictionary<string, string> validIds = [];
        private string? countSql;
        private int number;

        public Guid DatasetId { get; private set; }

        /// <summary>A succeeded external run with a real ML.NET model file: what a model version is registered from.</summary>
        public Guid ModelRunId { get; private set; }

        /// <summary>A registered model with a version 1 to request promotions of.</summary>
        public string PromotionModel { get; private set; } = "";

        public int NextNumber() => Interlocked.Increment(ref number);

        public async Task<HttpClient> ClientForAsync(string role)
        {
            if (!clients.TryGetValue(role, out var client))
            {
                var token = await TokenFactory.CreateAsync(Services, DemoAccounts.ByRole[role], ApiScopes.Read, ApiScopes.Write, ApiScopes.Predict);
                client = TokenFactory.ClientWith(this, token.Token);
                clients[role] = client;
            }

            return client;
        }

        public async Task EnsureSetUpAsync()
        {
            if (DatasetId != Guid.Empty)
            {
                return;
            }

            var scientist = await ClientForAsync(Roles.DataScientist);
            var csv = "a,b,label\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{i},{i % 7},{i % 2}\n"));
            var uploaded = await scientist.UploadCsvAsync("fuzz-dataset", csv);
            DatasetId = (await uploaded.JsonAsync()).GetProperty("datasetId").GetGuid();
            ModelRunId = await Registry.RegistryDriver.SucceededRunAsync(scientist);
            PromotionModel = await ModelWithVersionAsync(scientist);
        }

        /// <summary>A new model whose version 1 is made from <see cref="ModelRunId"/>.</summary>
        private async Task<string> ModelWithVersionAsync(HttpClient scientist)
        {
            var name = $"fuzz-model-{NextNumber()}";
            await scientist.PostAsJsonAsync("/api/models", new { name, description = "made by the fuzz test" });
            await Registry.RegistryDriver.RegisterAsync(scientist, name, ModelRunId);
            return name;
        }

        /// <summary>A running rollout of version 2 of a fresh model against its champion, version 1, written as an approval writes it.</summary>
        private async Task<Guid> RolloutAsync(HttpClient scientist)
        {
            var name = await ModelWithVersionAsync(scientist);
            await Registry.RegistryDriver.RegisterAsync(scientist, name, await Registry.RegistryDriver.SucceededRunAsync(scientist));
            await using var db = RemoteDb();
            var model = await db.RegisteredModels.Include(m => m.Versions).FirstAsync(m => m.Name == name);
            Portal.Domain.Registry.PromotionTransition To(int version) => new(Portal.Domain.Registry.PromotionRequestId.New(DateTimeOffset.UtcNow), model.Id,
                model.FindVersion(version)!.Id, Portal.Domain.Registry.ModelStage.Production, ["fuzz-manager"], "fuzz", new string('a', 64), false);
            Assert.True(model.Apply(To(1), DateTimeOffset.UtcNow).Succeeded);
            var rollout = Portal.Domain.Rollouts.Rollout.Start(model, To(2), Portal.Domain.Rollouts.RolloutPolicy.Default, DateTimeOffset.UtcNow);
            db.Rollouts.Add(rollout);
            await db.SaveChangesAsync();
            return rollout.Id.Value;
        }

        /// <summary>An open drift alert on a fresh model, written with its window as the monitoring loop writes them.</summary>
        private async Task<Guid> AlertAsync(HttpClient scientist)
        {
            var name = await ModelWithVersionAsync(scientist);
            await using var db = RemoteDb();
            var model = await db.RegisteredModels.Include(m => m.Versions).FirstAsync(m => m.Name == name);
            var now = DateTimeOffset.UtcNow;
            var window = Portal.Domain.Monitoring.MonitoringWindow.Record(Portal.Domain.Monitoring.MonitoringWindowId.New(now), model.Id, model.FindVersion(1)!.Id, 1,
                Portal.Domain.Monitoring.WindowKind.Count, now.AddMinutes(-1), now, 100, 0, [], Portal.Domain.Monitoring.DriftReport.Empty,
                Portal.Domain.Monitoring.WindowQuality.Empty, "fuzz window", now);
            var alert = Portal.Domain.Monitoring.MonitoringAlert.Raise(Portal.Domain.Monitoring.MonitoringAlertId.New(now), model.Id, model.FindVersion(1)!.Id, 1,
                Portal.Domain.Monitoring.AlertRule.Drift, "a", Portal.Domain.Monitoring.AlertSeverity.Warning, "fuzz drift", window.Id, now);
            db.MonitoringWindows.Add(window);
            db.MonitoringAlerts.Add(alert);
            await db.SaveChangesAsync();
            return alert.Id.Value;
        }

        /// <summary>The route with its parameters filled for the variant: a valid id, an unknown GUID or a non-GUID.</summary>
        public async Task<string> FillAsync(string route, ApiEndpoint endpoint, string variant)
        {
            var id = variant switch
            {
                "none" => null,
                "valid" => await ValidIdAsync(Area(route), endpoint.Role),
                "unknown" => UnknownId,
                _ => "not-a-guid",
            };
            if (Area(route) == "datasets")
            {
                // Below a dataset's id: its first version and its first column, so that a body reaches the handler.
                route = route.Replace("{version}", "1", StringComparison.Ordinal).Replace("{column}", "a", StringComparison.Ordinal);
            }

            return id is null ? route : System.Text.RegularExpressions.Regex.Replace(route, @"\{[^}]+\}", id);
        }

        public void Invalidate(ApiEndpoint endpoint) => validIds.Remove(Area(endpoint.Route));

        /// <summary>Row counts of every table and the number of files in the data folder, as one comparable string.</summary>
        public string Snapshot()
        {
            using var connection = OpenDatabase();
            using var command = connection.CreateCommand();
            if (countSql is null)
            {
                command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
                var tables = new List<string>();
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        tables.Add(reader.GetString(0));
                    }
                }

                countSql = "SELECT " + string.Join(" || ' ' || ", tables.Select(t => $"'{t}=' || (SELECT COUNT(*) FROM \"{t}\")"));
            }

            command.CommandText = countSql;
            var counts = (string)command.ExecuteScalar()!;
            var files = Directory.EnumerateFiles(DataDirectory, "*", SearchOption.AllDirectories)
                .Count(f => !Path.GetFileName(f).StartsWith("portal.db", StringComparison.Ordinal));
            return $"{counts} files={files}";
        }

        private static string Area(string route) =>
            route.StartsWith("/api/webhooks/deliveries/", StringComparison.Ordinal) ? "webhook-deliveries" : route.Split('/', StringSplitOptions.RemoveEmptyEntries)[1];

        private async Task<string> ValidIdAsync(string area, string role)
        {
            if (validIds.TryGetValue(area, out var known))
            {
                return known;
            }

            var client = await ClientForAsync(role);
            string id;
            switch (area)
            {
                case "datasets":
                    id = DatasetId.ToString();
                    break;
                case "experiments":
                    var experiment = await client.PostAsJsonAsync("/api/experiments", new { name = $"fuzz-experiment-{NextNumber()}" });
                    id = (await experiment.JsonAsync()).GetProperty("id").GetString()!;
                    break;
                case "runs":
                    var run = await client.PostAsJsonAsync("/api/runs", new { experiment = "fuzz-external", mode = "external" });
                    id = (await run.JsonAsync()).GetProperty("runId").GetString()!;
                    break;
                case "models":
                    // Models are registered by data scientists whoever calls the endpoint (risk tier: a manager).
                    var model = $"fuzz-model-{NextNumber()}";
                    await (await ClientForAsync(Roles.DataScientist)).PostAsJsonAsync("/api/models", new { name = model, description = "made by the fuzz test" });
                    id = model;
                    break;
                case "promotions":
                    // A fresh request on a fresh model, being evaluated (no worker here): every decision but a rejection is refused.
                    var scientist = await ClientForAsync(Roles.DataScientist);
                    id = (await Registry.RegistryDriver.RequestAsync(scientist, await ModelWithVersionAsync(scientist), 1, "Staging")).ToString();
                    break;
                case "rollouts":
                    id = (await RolloutAsync(await ClientForAsync(Roles.DataScientist))).ToString();
                    break;
                case "alerts":
                    id = (await AlertAsync(await ClientForAsync(Roles.DataScientist))).ToString();
                    break;
                case "tokens":
                    id = (await TokenFactory.CreateAsync(Services, DemoAccounts.ByRole[role], ApiScopes.Read)).Id.ToString();
                    break;
                case "webhooks":
                case "webhook-deliveries":
                    var hook = await client.PostAsJsonAsync("/api/webhooks", new { name = $"fuzz-hook-{NextNumber()}", url = "http://127.0.0.1:9/fuzz", events = new[] { "*" } });
                    id = (await hook.JsonAsync()).GetProperty("webhook").GetProperty("id").GetString()!;
                    if (area == "webhook-deliveries")
                    {
                        await using var db = RemoteDb();
                        await db.EnqueueWebhooksAsync(Portal.Domain.Webhooks.WebhookEventTypes.PromotionApproved, new { fuzz = true }, DateTimeOffset.UtcNow);
                        await db.SaveChangesAsync();
                        id = (await db.WebhookDeliveries.OrderByDescending(d => d.CreatedUtc).Select(d => d.Id).FirstAsync()).ToString();
                    }

                    break;
                case "dataset-versions":
                    // A version of its own (no stored content): a purge reaching the handler must not take the shared dataset's content.
                    await using (var db = RemoteDb())
                    {
                        var now = DateTimeOffset.UtcNow;
                        var dataset = Portal.Domain.Datasets.Dataset.Create($"fuzz-purge-{NextNumber()}", "fuzz", now);
                        var version = Portal.Domain.Datasets.DatasetVersion.Create(dataset.Id, dataset.NextVersion(), new string('0', 64), 1, 1, "fuzz.csv", "[]", [], "fuzz", now);
                        db.Datasets.Add(dataset);
                        db.DatasetVersions.Add(version);
                        await db.SaveChangesAsync();
                        id = version.Id.ToString();
                    }

                    break;
                case "audit":
                    // Audit entry 1 always exists (the first seeded user); its proof may be refused (no checkpoint), never a 5xx.
                    id = "1";
                    break;
                default:
                    throw new InvalidOperationException($"Teach the fuzz test a valid id for /api/{area}/{{id}}.");
            }

            validIds[area] = id;
            return id;
        }
    }
}
