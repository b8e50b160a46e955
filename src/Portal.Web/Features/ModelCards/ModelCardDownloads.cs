using System.Text;
using Microsoft.Net.Http.Headers;
using Portal.Application.Registry.Cards;
using Portal.Domain.Registry;
using Portal.Domain.Runs;

namespace Portal.Web.Features.ModelCards;

/// <summary>
/// The two downloads of a model card, for the registry's endpoints (<c>GET /api/models/{name}/versions/{v}/card.md</c> and
/// <c>card.html</c>): the Markdown file as an attachment, the printable page inline (the browser opens it, ready to print;
/// saving keeps its name). Both served under a policy that allows no script and nothing from elsewhere.
/// </summary>
public static class ModelCardDownloads
{
    /// <summary>The card as Markdown (<c>text/markdown</c>, attachment <c>{model}-v{n}-model-card.md</c>); 404 with the reason when the run does not exist.</summary>
    public static async Task<IResult> MarkdownAsync(this ModelCardReader cards, ModelVersionId versionId, RunId runId, ModelCardInputs? inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cards);
        return await cards.GetAsync(versionId, runId, inputs, cancellationToken) is { } card
            ? new CardFile(ModelCardMarkdown.Render(card), ModelCardMarkdown.ContentType, "attachment", FileName(card, "md"))
            : NotFound(runId);
    }

    /// <summary>The card as a printable page (<c>text/html</c>, inline <c>{model}-v{n}-model-card.html</c>); 404 with the reason when the run does not exist.</summary>
    public static async Task<IResult> HtmlAsync(this ModelCardReader cards, ModelVersionId versionId, RunId runId, ModelCardInputs? inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cards);
        return await cards.GetAsync(versionId, runId, inputs, cancellationToken) is { } card
            ? new CardFile(ModelCardHtml.Render(card), ModelCardHtml.ContentType, "inline", FileName(card, "html"))
            : NotFound(runId);
    }

    /// <summary>"churn-v3-model-card.md": the title's letters, digits, dots and dashes; anything else becomes a dash.</summary>
    public static string FileName(ModelCard card, string extension)
    {
        ArgumentNullException.ThrowIfNull(card);
        var stem = card.Facts.ModelName is { } name
            ? card.Facts.VersionNumber is { } n ? $"{name}-v{n}" : name
            : $"run-{card.Facts.RunId}";
        var safe = new StringBuilder(stem.Length);
        foreach (var c in stem)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-');
        }

        return $"{safe.ToString().Trim('-', '.')}-model-card.{extension}";
    }

    private static IResult NotFound(RunId runId) =>
        Results.Problem($"No model card: run {runId} of this version does not exist.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private sealed class CardFile(string content, string contentType, string disposition, string fileName) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.ContentType = contentType;
            var header = new ContentDispositionHeaderValue(disposition);
            header.SetHttpFileName(fileName);
            response.Headers.ContentDisposition = header.ToString();
            // Stricter than the portal's own policy, which the security headers leave in place: the card runs nothing.
            response.Headers.ContentSecurityPolicy = ModelCardHtml.ContentSecurityPolicy;
            response.Headers.CacheControl = "no-store";
            var bytes = Encoding.UTF8.GetBytes(content);
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
        }
    }
}
