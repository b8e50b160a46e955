using System.Reflection;
using System.Text.Json;
using Json.Schema;

namespace Portal.Application.Lineage;

/// <summary>
/// Validates OpenLineage RunEvents against the official JSON schema (spec 2-0-2, draft 2020-12, formats asserted: a
/// <c>runId</c> must be a UUID, <c>eventTime</c> a date-time, <c>producer</c> and <c>schemaURL</c> URIs) and the
/// dataset facets Portal reads (<c>schema</c> 1-2-0, <c>version</c> 1-0-1), with JsonSchema.Net. The schema files are
/// embedded (Spec/); nothing is fetched. Immutable once built: one instance serves every request.
/// </summary>
public sealed class OpenLineageSchema
{
    private readonly JsonSchema runEvent;
    private readonly JsonSchema schemaFacet;
    private readonly JsonSchema versionFacet;
    private readonly EvaluationOptions evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    public OpenLineageSchema()
    {
        var build = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        JsonSchema.FromText(Spec("OpenLineage.json"), build);
        schemaFacet = JsonSchema.FromText(Spec("SchemaDatasetFacet.json"), build);
        versionFacet = JsonSchema.FromText(Spec("DatasetVersionDatasetFacet.json"), build);
        // Only RunEvents are lineage of a run; the spec's top level also admits dataset and job events.
        runEvent = JsonSchema.FromText($$"""{ "$ref": "{{OpenLineageSpec.RunEventSchemaUrl}}" }""", build, new Uri("urn:portal:openlineage:run-event"));
    }

    /// <summary>What is wrong with <paramref name="runEventJson"/> as a RunEvent, naming the property; null when it is valid.</summary>
    public string? Problem(JsonElement runEventJson)
    {
        if (Problem(runEvent, runEventJson, "") is { } problem)
        {
            return problem;
        }

        foreach (var list in new[] { "inputs", "outputs" })
        {
            if (!runEventJson.TryGetProperty(list, out var datasets))
            {
                continue;
            }

            var index = 0;
            foreach (var dataset in datasets.EnumerateArray())
            {
                if (dataset.TryGetProperty("facets", out var facets))
                {
                    var at = $"/{list}/{index}/facets";
                    if ((Problem(schemaFacet, facets, at) ?? Problem(versionFacet, facets, at)) is { } facetProblem)
                    {
                        return facetProblem;
                    }
                }

                index++;
            }
        }

        return null;
    }

    private string? Problem(JsonSchema schema, JsonElement instance, string prefix)
    {
        var results = schema.Evaluate(instance, evaluation);
        if (results.IsValid)
        {
            return null;
        }

        // The deepest failing location says best which property to fix; allOf/anyOf also fail at every level above it.
        var worst = (results.Details ?? [])
            .Append(results)
            .Where(d => d.Errors is { Count: > 0 })
            .OrderByDescending(d => d.InstanceLocation.ToString().Length)
            .ThenBy(d => d.Errors!.ContainsKey("required") ? 0 : 1)
            .FirstOrDefault();
        if (worst is null)
        {
            return "The event does not match the OpenLineage RunEvent schema (spec 2-0-2).";
        }

        var location = prefix + worst.InstanceLocation;
        var (keyword, message) = worst.Errors!.OrderBy(e => e.Key == "required" ? 0 : 1).First();
        return $"{(location.Length == 0 ? "The event" : location)}: {message} (OpenLineage 2-0-2 schema, keyword '{keyword}').";
    }

    private static string Spec(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Portal.Application.Lineage.Spec.{file}")
                           ?? throw new InvalidOperationException($"The embedded OpenLineage spec file {file} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
