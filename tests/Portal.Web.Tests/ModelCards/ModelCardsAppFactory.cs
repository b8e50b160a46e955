using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Application.Registry.Cards;
using Portal.Data;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Web.Features.ModelCards;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.ModelCards;

/// <summary>
/// The real app with model cards registered over a registry the test fills (<see cref="Versions"/>), until the registry's
/// tables land; and the two downloads served as the registry's endpoints will serve them, at <c>/card-test/{version}/card.md|html</c>,
/// behind the app's whole pipeline (authentication, authorization, security headers).
/// </summary>
public sealed class ModelCardsAppFactory : PortalAppFactory
{
    public ModelCardsAppFactory()
    {
        Versions = new(() => Services);
    }

    public InMemoryModelCardSubjects Versions { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton(Versions);
            services.Replace(ServiceDescriptor.Singleton<IModelCardSubjects>(Versions));
            services.AddSingleton<IStartupFilter, CardDownloadsStartupFilter>();
        });
    }

    private sealed class CardDownloadsStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            // After the app's own pipeline: reached only by a path no endpoint of the app matched, and only when signed in.
            app.MapWhen(c => c.Request.Path.StartsWithSegments("/card-test"), branch => branch.Run(async context =>
            {
                var parts = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
                var versions = context.RequestServices.GetRequiredService<InMemoryModelCardSubjects>();
                var cards = context.RequestServices.GetRequiredService<ModelCardReader>();
                var subject = versions.Find(ModelVersionId.Parse(parts[1]));
                var runId = subject?.RunId ?? new RunId(Guid.NewGuid());
                var inputs = versions.InputsFor(ModelVersionId.Parse(parts[1]));
                var result = parts[2] == "card.md"
                    ? await cards.MarkdownAsync(ModelVersionId.Parse(parts[1]), runId, inputs, context.RequestAborted)
                    : await cards.HtmlAsync(ModelVersionId.Parse(parts[1]), runId, inputs, context.RequestAborted);
                await result.ExecuteAsync(context);
            }));
        };
    }
}

/// <summary>The registry's versions as the card sees them, filled by the tests.</summary>
public sealed class InMemoryModelCardSubjects(Func<IServiceProvider> services) : IModelCardSubjects
{
    private readonly ConcurrentDictionary<ModelVersionId, (ModelCardSubject Subject, ModelCardInputs Inputs)> versions = new();

    /// <summary>
    /// A version of a model of its own, registered from the run in the app's database when the run exists (the card's
    /// sections belong to a real version row); the subject the card sees is the one given here.
    /// </summary>
    public async Task<ModelVersionId> RegisterAsync(RunId runId, string registeredBy, string ownerId, ModelCardInputs? inputs = null)
    {
        var id = await RegisterRowsAsync(runId, registeredBy, ownerId) ?? ModelVersionId.New(DateTimeOffset.UtcNow);
        versions[id] = (new ModelCardSubject(id, runId, registeredBy, ownerId), inputs ?? ModelCardInputs.None);
        return id;
    }

    private async Task<ModelVersionId?> RegisterRowsAsync(RunId runId, string registeredBy, string ownerId)
    {
        var factory = services().GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        if (!await db.Runs.AnyAsync(r => r.Id == runId))
        {
            return null;
        }

        var now = DateTimeOffset.UtcNow;
        var model = RegisteredModel.Create($"card-model-{Guid.NewGuid():N}", "", ownerId, [Portal.Domain.Security.Roles.DataScientist], RiskTier.Low, now);
        var version = model.RegisterVersion(new VersionRegistration(runId, registeredBy, [], [new InputFeature("x", "Single")],
            new Dictionary<string, double>(), new string('a', 64)), registeredBy, now);
        db.RegisteredModels.Add(model);
        await db.SaveChangesAsync();
        return version.Id;
    }

    public ModelCardSubject? Find(ModelVersionId id) => versions.TryGetValue(id, out var v) ? v.Subject : null;

    public ModelCardInputs? InputsFor(ModelVersionId id) => versions.TryGetValue(id, out var v) ? v.Inputs : null;

    public Task<ModelCardSubject?> FindAsync(PortalDbContext db, ModelVersionId versionId, CancellationToken cancellationToken) => Task.FromResult(Find(versionId));
}

/// <summary>Users of the demo accounts by their ids in the app's database.</summary>
public static class DemoUsers
{
    public static async Task<string> IdOfAsync(PortalAppFactory factory, string email)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }
}
