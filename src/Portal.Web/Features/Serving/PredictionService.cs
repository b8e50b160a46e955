using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Portal.Application;
using Portal.Domain.Serving;

namespace Portal.Web.Features.Serving;

/// <summary>
/// Answers a predict request: takes the model's route once (champion, or the rollout's canary by the traffic split, sticky
/// per routing key), scores the rows with that one version's engine, writes their outputs once (<see cref="WrittenOutputs"/>),
/// numbers the predictions and hands the request to the prediction log without waiting for it.
/// </summary>
public sealed class PredictionService(ServingRoutes routes, ScoringEngines engines, PredictionLog log, TimeProvider time, IOptions<ServingOptions> options,
    IOptions<JsonOptions> json)
{
    public async Task<OperationResult<ScoredBatch>> PredictAsync(string modelName, PredictRequest request, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxBatchRows;
        if (request.Rows is not { ValueKind: JsonValueKind.Array } rowsElement)
        {
            return Fail(OperationStatus.Invalid, "Send 'rows': an array of JSON objects, one per row, each holding the model's input fields.");
        }

        var count = rowsElement.GetArrayLength();
        if (count == 0)
        {
            return Fail(OperationStatus.Invalid, "'rows' is empty: send at least one row.");
        }

        if (count > max)
        {
            return Fail(OperationStatus.Invalid, $"A predict request takes at most {max.ToString(CultureInfo.InvariantCulture)} rows; this one has {count.ToString(CultureInfo.InvariantCulture)}. Split it into smaller requests.");
        }

        if (request.RoutingKey is { Length: > 256 })
        {
            return Fail(OperationStatus.Invalid, "'routingKey' is at most 256 characters.");
        }

        var route = await routes.ResolveAsync(modelName, cancellationToken);
        if (route is null)
        {
            return Fail(OperationStatus.NotFound, $"There is no model named '{modelName}'.");
        }

        if (route.Choose(request.RoutingKey) is not var (arm, version))
        {
            return Fail(OperationStatus.Conflict, $"Model '{route.ModelName}' has no version in Production to answer predictions: promote a version first.");
        }

        var received = time.GetUtcNow();
        var started = time.GetTimestamp();
        var engine = await engines.GetAsync(version, cancellationToken);
        var rows = new JsonElement[count];
        var i = 0;
        foreach (var row in rowsElement.EnumerateArray())
        {
            rows[i++] = row;
        }

        var scored = engine.Score(rows);
        var errors = scored.Count(p => p.Failed);
        var batchId = PredictionBatchId.New(received);
        // Written once, for the answer and for the log; the scored rows are garbage from here on.
        var outputs = WrittenOutputs.Write(scored, json.Value.SerializerOptions.Encoder);
        if (log.Enabled)
        {
            // Refused rows are logged too: during a rollout they are the arm's error rate (a canary whose signature differs
            // refuses what the champion takes), and monitoring counts them as schema violations. Both arms carry the rollout.
            var duration = (long)time.GetElapsedTime(started).TotalMicroseconds;
            log.Add(new LoggedPredictRequest(batchId, route.ModelId, version.Id, version.Number, route.Rollout?.Id, arm, received, count, errors, duration,
                PooledBytes.Copy(JsonMarshal.GetRawUtf8Value(rowsElement)), PooledBytes.Copy(outputs.Json)));
        }

        if (scored.All(p => p.InputRejected))
        {
            outputs.Dispose();
            var refused = scored.Select((p, row) => $"row {row.ToString(CultureInfo.InvariantCulture)}: {p.Error}");
            return Fail(OperationStatus.Invalid, count == 1 ? scored[0].Error! : $"Every row was refused. {string.Join(" | ", refused)}");
        }

        return OperationResult<ScoredBatch>.Ok(new ScoredBatch(batchId, version.Number, outputs));
    }

    private static OperationResult<ScoredBatch> Fail(OperationStatus status, string message) => OperationResult<ScoredBatch>.Fail(status, message);
}
