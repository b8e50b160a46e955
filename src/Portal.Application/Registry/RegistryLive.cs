using Portal.Data;
using Portal.Data.Live;
using Portal.Domain.Live;
using Portal.Domain.Registry;

namespace Portal.Application.Registry;

/// <summary>The registry's live events, added to the outbox of the change's own save (ADR 0006).</summary>
public static class RegistryLive
{
    /// <summary>Tells the request's page and every inbox that the request changed.</summary>
    public static void PublishPromotionChanged(this PortalDbContext db, PromotionRequest request, string modelName, DateTimeOffset now,
        PromotionEvaluationJob? job = null)
    {
        foreach (var topic in new[] { LiveTopics.Promotion(request.Id), LiveTopics.Inbox })
        {
            db.Publish(new PromotionChanged(topic, request.Id, request.ModelId, modelName, request.VersionNumber, request.Status, job?.Progress, job?.Stage), now);
        }

        db.Publish(new ModelChanged(LiveTopics.Model(request.ModelId), request.ModelId, modelName, $"promotion {request.Status}"), now);
    }

    public static void PublishModelChanged(this PortalDbContext db, RegisteredModel model, string change, DateTimeOffset now) =>
        db.Publish(new ModelChanged(LiveTopics.Model(model.Id), model.Id, model.Name, change), now);
}
