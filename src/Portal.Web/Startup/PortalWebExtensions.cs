using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using MudBlazor.Services;
using Portal.Data.Live;
using Portal.Data.Postgres;
using Portal.Domain.Security;
using Portal.Web.Components;
using Portal.Web.Features.Account;
using Portal.Web.Features.Alerts;
using Portal.Web.Features.Audit;
using Portal.Web.Features.Datasets;
using Portal.Web.Features.Erasure;
using Portal.Web.Features.Experiments;
using Portal.Web.Features.Lineage;
using Portal.Web.Features.Live;
using Portal.Web.Features.Monitoring;
using Portal.Web.Features.Registry;
using Portal.Web.Features.Rollouts;
using Portal.Web.Features.Runs;
using Portal.Web.Features.Serving.Simulation;
using Portal.Web.Features.Runs.Queries;
using Portal.Web.Features.Serving;
using Portal.Web.Features.Tokens;
using Portal.Web.Features.Users;
using Portal.Web.Features.Webhooks;
using Portal.Web.Security;

namespace Portal.Web.Startup;

public static class PortalWebExtensions
{
    public static IHostApplicationBuilder AddPortalWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DemoOptions>()
            .BindConfiguration(DemoOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Hardening (issue 9): forwarded headers only from configured proxies; the host itself is checked by AllowedHosts.
        services.AddOptions<ForwardedHeadersSettings>()
            .BindConfiguration(ForwardedHeadersSettings.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<ForwardedHeadersSettings>>((forwarded, settings) =>
            {
                forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                forwarded.KnownProxies.Clear();
                forwarded.KnownIPNetworks.Clear();
                settings.Value.KnownProxies.ForEach(p => forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(p)));
                settings.Value.KnownNetworks.ForEach(n => forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(n)));
            });

        services.AddRazorComponents().AddInteractiveServerComponents();
        // Snackbars at the bottom: the top right holds each page's main action (New run, New experiment, New token).
        services.AddMudServices(mud => mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // A request the API cannot bind says which parameter or body failed, so the caller knows what to fix.
            if (context.Exception is BadHttpRequestException bad && context.ProblemDetails.Detail is null)
            {
                context.ProblemDetails.Detail = bad.Message;
            }
        });
        // API errors: a request the caller got wrong is a 4xx problem saying what to fix, also outside Development
        // (where minimal APIs would otherwise answer a bad body with an empty 400), and bodiless framework answers
        // (404, 405, 415) get a problem body too (ApiStatusCodeProblems, in UsePortalWeb).
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddOptions<RunsOptions>()
            .BindConfiguration(RunsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        services.AddSingleton<UserAdministrationService>();
        services.AddSingleton<TokenAuthenticationCache>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<AuditQueryService>();
        services.AddSingleton<AuditSubjectLinks>();
        services.AddOptions<DatasetOptions>()
            .BindConfiguration(DatasetOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<DatasetService>();
        services.AddSingleton<RetrainingQueries>();
        services.AddSingleton<ExperimentService>();
        services.AddSingleton<RunQueries>();
        services.AddSingleton<RegistryQueries>();
        services.AddSingleton<Features.DataProtection.DataProtectionQueries>();
        services.AddSingleton<RolloutQueries>();
        services.AddSingleton<DriftQuery>();
        services.AddSingleton<ModelCardSource>();
        services.AddSingleton<WebhookService>();
        services.AddSingleton<RegistryPageQueries>();
        services.AddSingleton<RolloutPageQueries>();
        services.AddSingleton<AlertQueries>();
        services.AddSingleton<ErasureReportAudit>();
        services.AddSingleton<MonitoringQueries>();
        // Curve points may be Infinity or NaN (a diverging loss): hub clients receive them by name, as the outbox stores them.
        services.AddSignalR().AddJsonProtocol(json =>
            json.PayloadSerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals);
        services.AddPortalLiveEvents();
        services.AddPostgresLiveEventListener();
        services.AddSingleton<HubTopicSubscriptions>();
        services.AddSingleton<HubSessions>();
        services.AddHostedService(sp => sp.GetRequiredService<HubSessions>());
        services.AddSingleton<IdentitySeeder>();
        services.AddSingleton<DemoDataSeeder>();
        services.AddHostedService<DemoRegistrySeeder>();
        services.AddDemoTraffic();
        services.AddHostedService<IdentitySeedHostedService>();
        builder.AddPortalServing();
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(RequestUriLength.Configure);
        return builder;
    }

    public static WebApplication UsePortalWeb(this WebApplication app)
    {
        // Hardening (issue 9): believe X-Forwarded-For/-Proto only from the configured proxies (none by default).
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersSettings>>().Value.Enabled)
        {
            app.UseForwardedHeaders();
        }

        app.UseMiddleware<SecurityHeadersMiddleware>();
        // Never a stack trace: API errors become problem+json, page errors the friendly error page.
        // A request the API cannot bind (malformed JSON, a missing or non-numeric parameter) is the caller's mistake: 400, not 500.
        app.UseWhen(ApiPaths.IsApi, api =>
        {
            api.UseExceptionHandler(new ExceptionHandlerOptions
            {
                StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            });
            api.UseStatusCodePages(ApiStatusCodeProblems.WriteAsync);
            api.UseRequestUriLimit();
        });
        app.UseWhen(c => !ApiPaths.IsApi(c), pages =>
        {
            pages.UseExceptionHandler("/Error", createScopeForErrors: true);
            pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        });
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        // Explicit, after the status-code pages, so a re-executed /not-found request is routed to its page.
        app.UseRouting();
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(AssetsFolder()),
            RequestPath = "/assets",
        });
        app.UseAuthentication();
        // Hardening (issue 9): cookie-authenticated API changes only from Portal's own origin.
        app.UseMiddleware<SameOriginApiWritesMiddleware>();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/healthz", new HealthCheckOptions()).AllowAnonymous();
        app.MapOpenApi().RequireAuthorization(Policies.SignedIn);

        var api = app.MapGroup("/api");
        api.MapMeApi();
        api.MapUsersApi();
        api.MapTokensApi();
        api.MapAuditApi();
        api.MapDatasetsApi();
        api.MapExperimentsApi();
        api.MapRunsApi();
        api.MapRegistryApi();
        api.MapRolloutsApi();
        api.MapAlertsApi();
        api.MapMonitoringApi();
        api.MapMonitoringPoliciesApi();
        api.MapWebhooksApi();
        api.MapServingApi();
        api.MapDriftApi();
        api.MapLineageApi();
        api.MapOpenLineageApi();
        api.MapErasureApi();
        app.MapHub<RunsHub>("/hubs/runs").RequireAuthorization(Policies.ReadExperiments);
        app.MapHub<LiveHub>("/hubs/live").RequireAuthorization(Policies.SignedIn);
        app.MapAccountEndpoints();

        // Blazor would set its own CSP (frame-ancestors 'self' only); SecurityHeadersMiddleware sets the whole, stricter one.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var url in app.Urls)
            {
                app.Logger.LogInformation("Portal is running at {Url} - sign in there; health at /healthz", url);
            }
        });
        return app;
    }

    /// <summary>The repository's wwwroot-assets, copied beside the binaries at build and publish.</summary>
    private static string AssetsFolder() => Path.Combine(AppContext.BaseDirectory, "wwwroot-assets");
}
