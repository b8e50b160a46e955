using System.Text.Json;
using Microsoft.Extensions.Options;
using Portal.Application;
using Portal.Domain.Security;
using Portal.Web.Infrastructure;

namespace Portal.Web.Features.Serving;

/// <summary>
/// Serving over HTTP: <c>POST /api/models/{name}/predict</c> scores rows with the model's champion (or, during a staged
/// rollout, its canary by the traffic split), and <c>POST /api/feedback</c> records ground truth for predictions. Both
/// need the <see cref="Policies.Predict"/> capability (a token with the <c>predict</c> scope, or a signed-in user).
/// </summary>
internal static class ServingApi
{
    public static RouteGroupBuilder MapServingApi(this RouteGroupBuilder api, IOptions<ServingOptions> options)
    {
        var maxBytes = options.Value.MaxRequestKilobytes * 1024L;
        // The body is read into a pooled buffer and parsed in place rather than bound (PooledJsonBody says why).
        api.MapPost("/models/{name}/predict", async (string name, HttpRequest http, PredictionService predictions, CancellationToken ct) =>
            {
                if (!PooledJsonBody.IsJson(http.ContentType))
                {
                    return Results.Problem("Send the rows as application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType,
                        title: "Unsupported media type");
                }

                try
                {
                    using var body = await PooledJsonBody.ReadAsync(http, ct);
                    if (body is null)
                    {
                        return Results.Problem(ApiExceptionHandler.TooLarge(http.HttpContext.GetEndpoint()));
                    }

                    if (PredictRequest.From(body.Root, out var error) is not { } request)
                    {
                        return Results.Problem(error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
                    }

                    var answered = await predictions.PredictAsync(name, request, ct);
                    return answered.ToHttpResult(scored => scored);
                }
                catch (JsonException malformed)
                {
                    return Results.Problem($"The JSON body is malformed: {malformed.Message} Send {{ \"rows\": [ {{ \"<feature>\": value, ... }} ], \"routingKey\": \"optional\" }}.",
                        statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
                }
                catch (ScoringEngineUnavailableException unavailable)
                {
                    return Results.Problem(unavailable.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Model unavailable");
                }
            })
            .RequireAuthorization(Policies.Predict)
            .Accepts<PredictRequest>("application/json")
            .WithRequestBodyLimit(maxBytes)
            .WithTags("Serving")
            .WithName("Predict")
            .WithSummary("Scores rows with the model's production version, or with the canary of its staged rollout by the traffic split (sticky per " +
                "routingKey). Body { rows: [ { <feature>: value, ... } ], routingKey? }; answer { predictions: [ { predictionId, modelVersion, " +
                "predictedLabel | score, probabilities?, error? } ] }, one per row in order. A row with a missing, extra or mistyped field gets its " +
                "own error naming the fields; when every row is refused the answer is 400. 404 for an unknown model, 409 when it has no production version.")
            .Produces<PredictResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapPost("/feedback", async (FeedbackRequest request, FeedbackService feedback, CancellationToken ct) =>
            {
                var recorded = await feedback.RecordAsync(request, ct);
                if (!recorded.Succeeded)
                {
                    return recorded.ToHttpResult();
                }

                var items = recorded.Value!.Items;
                // Items are independent; the whole answer is an error only when no item was recorded and all failed alike.
                if (items.All(i => i.Result == FeedbackItemResult.NotFound))
                {
                    return Results.Problem("No logged prediction has any of these ids.", statusCode: StatusCodes.Status404NotFound, title: "Not found",
                        extensions: new Dictionary<string, object?> { ["items"] = items });
                }

                if (items.All(i => i.Result != FeedbackItemResult.Recorded))
                {
                    return Results.Problem("No item was recorded: " + string.Join(" | ", items.Select(i => $"{i.PredictionId}: {i.Error}")),
                        statusCode: StatusCodes.Status400BadRequest, title: "Invalid request", extensions: new Dictionary<string, object?> { ["items"] = items });
                }

                return Results.Ok(recorded.Value);
            })
            .RequireAuthorization(Policies.Predict)
            .WithRequestBodyLimit(maxBytes)
            .WithTags("Serving")
            .WithName("RecordFeedback")
            .WithSummary("Records ground truth: { items: [ { predictionId, actualLabel } ] } → { items: [ { predictionId, result, status, correct? | " +
                "absoluteError?, error? } ] }. Each item is judged on arrival against its logged prediction (classification: correct or not; " +
                "regression: absolute error); a later label replaces the earlier. An unknown id is that item's 404 (result notFound), a malformed item " +
                "its 400 (invalid); the answer is 200 when any item was recorded, 404 when every id is unknown, else 400.")
            .Produces<FeedbackResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }
}
