using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Application;
using Portal.Data;
using Portal.Domain.Serving;
using Portal.Ml.Serving;

namespace Portal.Web.Features.Serving;

/// <summary>
/// Records ground truth: each item names a prediction by id and gives the actual label, judged on arrival against what the
/// logged prediction said (<see cref="FeedbackJudge"/>). A later label for the same prediction replaces the earlier one.
/// Items are independent: an unknown id is that item's 404 (<c>notFound</c>), a malformed one its 400 (<c>invalid</c>).
/// A prediction is known once its request has been written to the log (a moment after it was answered).
/// </summary>
public sealed class FeedbackService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time, IOptions<ServingOptions> options)
{
    public async Task<OperationResult<FeedbackResponse>> RecordAsync(FeedbackRequest request, CancellationToken cancellationToken)
    {
        if (request.Items is not { Count: > 0 } items)
        {
            return OperationResult<FeedbackResponse>.Fail(OperationStatus.Invalid, "Send 'items': an array of { predictionId, actualLabel }, at least one.");
        }

        var max = options.Value.MaxFeedbackItems;
        if (items.Count > max)
        {
            return OperationResult<FeedbackResponse>.Fail(OperationStatus.Invalid,
                $"A feedback request takes at most {max.ToString(CultureInfo.InvariantCulture)} items; this one has {items.Count.ToString(CultureInfo.InvariantCulture)}.");
        }

        var results = new FeedbackItemResult?[items.Count];
        var parsed = new (PredictionId Id, string Label)?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item is null || !PredictionId.TryParse(item.PredictionId, out var id))
            {
                results[i] = Invalid(item?.PredictionId, "'predictionId' must be a prediction id as the predict endpoint returned it.");
            }
            else if (string.IsNullOrWhiteSpace(item.ActualLabel) || item.ActualLabel.Length > PredictionFeedback.MaxLabelLength)
            {
                results[i] = Invalid(item.PredictionId, $"'actualLabel' must be 1 to {PredictionFeedback.MaxLabelLength} characters.");
            }
            else
            {
                parsed[i] = (id, item.ActualLabel.Trim());
            }
        }

        try
        {
            return await JudgeAndSaveAsync(items, parsed, results, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request recorded a first label for one of these predictions meanwhile: read again, and replace it.
            return await JudgeAndSaveAsync(items, parsed, results, cancellationToken);
        }
    }

    private async Task<OperationResult<FeedbackResponse>> JudgeAndSaveAsync(IReadOnlyList<FeedbackItem?> items, (PredictionId Id, string Label)?[] parsed,
        FeedbackItemResult?[] refused, CancellationToken cancellationToken)
    {
        var results = (FeedbackItemResult?[])refused.Clone();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var batchIds = parsed.OfType<(PredictionId Id, string Label)>().Select(p => p.Id.Batch).Distinct().ToList();
        var predictionIds = parsed.OfType<(PredictionId Id, string Label)>().Select(p => p.Id).Distinct().ToList();
        var batches = await db.PredictionBatches.AsNoTracking().Where(b => batchIds.Contains(b.Id)).ToDictionaryAsync(b => b.Id, cancellationToken);
        var existing = await db.PredictionFeedback.Where(f => predictionIds.Contains(f.PredictionId)).ToDictionaryAsync(f => f.PredictionId, cancellationToken);
        var outputs = new Dictionary<PredictionBatchId, LoggedOutput[]>();
        var now = time.GetUtcNow();
        for (var i = 0; i < items.Count; i++)
        {
            if (parsed[i] is not var (id, label))
            {
                continue;
            }

            if (!batches.TryGetValue(id.Batch, out var batch) || id.Row >= batch.RowCount)
            {
                results[i] = new FeedbackItemResult(items[i]!.PredictionId, FeedbackItemResult.NotFound, StatusCodes.Status404NotFound, null, null,
                    "No logged prediction has this id.");
                continue;
            }

            if (!outputs.TryGetValue(batch.Id, out var rows))
            {
                rows = JsonSerializer.Deserialize<LoggedOutput[]>(batch.OutputsJson, LoggedOutput.Json) ?? [];
                outputs[batch.Id] = rows;
            }

            var predicted = id.Row < rows.Length ? rows[id.Row] : null;
            if (predicted is null || predicted.Error is not null)
            {
                results[i] = Invalid(items[i]!.PredictionId, "This row got an error, not a prediction: there is nothing to judge.");
                continue;
            }

            var verdict = FeedbackJudge.Judge(predicted.PredictedLabel, predicted.Score, predicted.Probabilities?.Keys.ToList(), label);
            if (verdict.Problem is not null)
            {
                results[i] = Invalid(items[i]!.PredictionId, verdict.Problem);
                continue;
            }

            if (existing.TryGetValue(id, out var feedback))
            {
                feedback.Replace(label, verdict.Correct, verdict.AbsoluteError, now);
            }
            else
            {
                feedback = PredictionFeedback.Record(id, batch, label, verdict.Correct, verdict.AbsoluteError, now);
                db.PredictionFeedback.Add(feedback);
                existing[id] = feedback;
            }

            results[i] = new FeedbackItemResult(items[i]!.PredictionId, FeedbackItemResult.Recorded, StatusCodes.Status200OK, verdict.Correct, verdict.AbsoluteError, null);
        }

        await db.SaveChangesAsync(cancellationToken);
        return OperationResult<FeedbackResponse>.Ok(new FeedbackResponse([.. results.Select(r => r!)]));
    }

    private static FeedbackItemResult Invalid(string? id, string error) =>
        new(id, FeedbackItemResult.Invalid, StatusCodes.Status400BadRequest, null, null, error);
}
