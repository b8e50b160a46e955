using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Portal.Web.Features.Account;
using Portal.Web.Infrastructure;
using Portal.Web.Features.Tokens;
using Portal.Web.Security;
using Portal.Web.Startup;

namespace Portal.Web.Features.Serving;

/// <summary>
/// The serving-only role of the Portal.Web binary (<c>--Hosting:Role=Serving</c>): health, API-token authentication and the
/// serving endpoints against the same database, and nothing else: no pages, no Blazor circuits, no hubs, no embedded worker,
/// no identity cookies. Scoring load then scales on its own nodes, apart from the portal. The same binary rather than its
/// own project: one build, one set of settings and migrations, and the serving code is the web's own, not a copy.
/// </summary>
public static class ServingHost
{
    public const string RoleKey = "Hosting:Role";
    public const string ServingRole = "Serving";

    public static bool IsServingRole(IConfiguration configuration) =>
        string.Equals(configuration[RoleKey], ServingRole, StringComparison.OrdinalIgnoreCase);

    public static IHostApplicationBuilder AddPortalServingHost(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAuthentication(ApiTokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddPortalAuthorization();
        services.AddOptions<SecurityOptions>()
            .BindConfiguration(SecurityOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<TokenAuthenticationCache>();
        services.AddSingleton<TokenService>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.Exception is BadHttpRequestException bad && context.ProblemDetails.Detail is null)
            {
                context.ProblemDetails.Detail = bad.Message;
            }
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(RequestUriLength.Configure);
        builder.AddPortalServing();
        return builder;
    }

    public static WebApplication UsePortalServingHost(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages(ApiStatusCodeProblems.WriteAsync);
        app.UseRequestUriLimit();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/healthz", new HealthCheckOptions()).AllowAnonymous();
        app.MapGroup(ApiPaths.Api).MapServingApi();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var url in app.Urls)
            {
                app.Logger.LogInformation("Portal serving node at {Url}: POST /api/models/{{name}}/predict and /api/feedback with a predict-scope token; health at /healthz", url);
            }
        });
        return app;
    }
}
