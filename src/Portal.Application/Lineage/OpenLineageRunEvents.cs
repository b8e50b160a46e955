using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Domain.Datasets;
using Portal.Domain.Runs;
using Portal.Domain.Webhooks;

namespace Portal.Application.Lineage;

/// <summary>
/// Emits an OpenLineage RunEvent for a training run's state change through the webhook outbox: the event is added to
/// the context that saves the change, as a <see cref="WebhookDelivery"/> of kind
/// <see cref="WebhookEventTypes.OpenLineageRunEvent"/> to the configured endpoint's system subscription, so it is
/// written in the same transaction and posted, retried and shown like any webhook delivery. Which event: a run that
/// became Running starts (START), Succeeded completes (COMPLETE), Failed fails (FAIL), Cancelled aborts (ABORT).
/// Job: <c>{Namespace}/{experiment name}</c>; input: the dataset version (<c>{Namespace}/{dataset name}</c>, schema
/// facet from its columns, version facet = its SHA-256); output: the model file once there is one.
/// </summary>
public sealed class OpenLineageRunEvents(
    IDbContextFactory<PortalDbContext> dbFactory,
    IOptions<OpenLineageOptions> options,
    TimeProvider time,
    ILogger<OpenLineageRunEvents> logger)
{
    /// <summary>
    /// Queues the event for <paramref name="run"/>'s current status on <paramref name="db"/> (written by its next save);
    /// false when nothing is queued: emission disabled, a status with no event (Queued), or the endpoint's system
    /// webhook deactivated by an administrator.
    /// </summary>
    public async Task<bool> EnqueueAsync(PortalDbContext db, Run run, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var eventType = EventTypeOf(run.Status);
        if (!settings.Enabled || eventType is null)
        {
            return false;
        }

        var subscription = await SubscriptionAsync(db, settings.Endpoint!, cancellationToken);
        if (subscription is null)
        {
            return false;
        }

        var runEvent = await BuildAsync(db, run, eventType, settings.Namespace, cancellationToken);
        db.WebhookDeliveries.Add(WebhookDelivery.CreateOpenLineage(subscription.Value, runEvent.ToJsonString(), time.GetUtcNow()));
        return true;
    }

    /// <summary>The OpenLineage event type of a run in <paramref name="status"/>; null for a queued run.</summary>
    public static string? EventTypeOf(RunStatus status) => status switch
    {
        RunStatus.Running => OpenLineageSpec.Start,
        RunStatus.Succeeded => OpenLineageSpec.Complete,
        RunStatus.Failed => OpenLineageSpec.Fail,
        RunStatus.Cancelled => OpenLineageSpec.Abort,
        _ => null,
    };

    /// <summary>The RunEvent for <paramref name="run"/> as it is now.</summary>
    public static async Task<JsonObject> BuildAsync(PortalDbContext db, Run run, string eventType, string @namespace, CancellationToken cancellationToken)
    {
        // The experiment may be new, made with this very run and not saved yet: the context knows it before the database does.
        var experiment = db.Experiments.Local.FirstOrDefault(e => e.Id == run.ExperimentId)?.Name
                         ?? await db.Experiments.AsNoTracking().Where(e => e.Id == run.ExperimentId).Select(e => e.Name).FirstAsync(cancellationToken);
        var eventTime = (eventType == OpenLineageSpec.Start ? run.StartedUtc : run.FinishedUtc) ?? run.SubmittedUtc;
        var inputs = new JsonArray();
        if (run.DatasetVersionId is { } versionId)
        {
            var version = await db.DatasetVersions.AsNoTracking().Include(v => v.Columns).FirstOrDefaultAsync(v => v.Id == versionId, cancellationToken);
            var dataset = version is null ? null : await db.Datasets.AsNoTracking().Where(d => d.Id == version.DatasetId).Select(d => d.Name).FirstOrDefaultAsync(cancellationToken);
            if (version is not null && dataset is not null)
            {
                inputs.Add(DatasetVersionNode(@namespace, dataset, version));
            }
        }

        var outputs = new JsonArray();
        if (run.ModelSha256 is { } model && eventType == OpenLineageSpec.Complete)
        {
            outputs.Add(new JsonObject
            {
                ["namespace"] = @namespace,
                ["name"] = ModelName(run.Id),
                ["facets"] = new JsonObject { ["version"] = VersionFacet(model) },
            });
        }

        var runNode = new JsonObject { ["runId"] = run.Id.Value.ToString("D") };
        if (eventType == OpenLineageSpec.Fail && run.FailureReason is { } reason)
        {
            runNode["facets"] = new JsonObject
            {
                ["errorMessage"] = new JsonObject
                {
                    ["_producer"] = OpenLineageSpec.Producer,
                    ["_schemaURL"] = OpenLineageSpec.ErrorMessageFacetUrl + "#/$defs/ErrorMessageRunFacet",
                    ["message"] = reason,
                    ["programmingLanguage"] = "C#",
                },
            };
        }

        return new JsonObject
        {
            ["eventType"] = eventType,
            ["eventTime"] = DateTime.SpecifyKind(eventTime, DateTimeKind.Utc).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["run"] = runNode,
            ["job"] = new JsonObject { ["namespace"] = @namespace, ["name"] = experiment },
            ["inputs"] = inputs,
            ["outputs"] = outputs,
            ["producer"] = OpenLineageSpec.Producer,
            ["schemaURL"] = OpenLineageSpec.RunEventSchemaUrl,
        };
    }

    /// <summary>The dataset name of a run's model file in Portal's namespace.</summary>
    public static string ModelName(RunId runId) => $"runs/{runId.Value:D}/model";

    private static JsonObject DatasetVersionNode(string @namespace, string dataset, DatasetVersion version) => new()
    {
        ["namespace"] = @namespace,
        ["name"] = dataset,
        ["facets"] = new JsonObject
        {
            ["schema"] = new JsonObject
            {
                ["_producer"] = OpenLineageSpec.Producer,
                ["_schemaURL"] = OpenLineageSpec.SchemaFacetUrl + "#/$defs/SchemaDatasetFacet",
                ["fields"] = new JsonArray([.. version.Columns.OrderBy(c => c.Ordinal).Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = c.Name,
                    ["type"] = c.Type.ToString(),
                    ["ordinal_position"] = c.Ordinal + 1,
                })]),
            },
            ["version"] = VersionFacet(version.Sha256),
        },
    };

    private static JsonObject VersionFacet(string sha256) => new()
    {
        ["_producer"] = OpenLineageSpec.Producer,
        ["_schemaURL"] = OpenLineageSpec.VersionFacetUrl + "#/$defs/DatasetVersionDatasetFacet",
        ["datasetVersion"] = sha256,
    };

    /// <summary>
    /// The id of the endpoint's system subscription when it is active; made (in its own short transaction, before the
    /// change's) when missing. Every process derives the same id, so a race makes one row: the loser's insert is refused
    /// by the key and it reads the winner's.
    /// </summary>
    private async Task<WebhookSubscriptionId?> SubscriptionAsync(PortalDbContext db, string endpoint, CancellationToken cancellationToken)
    {
        var id = WebhookSubscription.OpenLineageIdFor(endpoint);
        var active = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Id == id).Select(s => (bool?)s.IsActive).FirstOrDefaultAsync(cancellationToken);
        if (active is null)
        {
            await using var own = await dbFactory.CreateDbContextAsync(cancellationToken);
            own.WebhookSubscriptions.Add(WebhookSubscription.CreateOpenLineage(endpoint, time.GetUtcNow()));
            try
            {
                await own.SaveChangesAsync(cancellationToken);
                logger.LogInformation("OpenLineage: made the system webhook {SubscriptionId} for the configured endpoint.", id);
            }
            catch (DbUpdateException)
            {
                // Another process made it first.
            }

            active = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Id == id).Select(s => (bool?)s.IsActive).FirstOrDefaultAsync(cancellationToken);
        }

        return active == true ? id : null;
    }
}
