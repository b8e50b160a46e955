using Portal.Application.Hosting;
using Portal.Web.Cli;
using Portal.Web.Features.Account;
using Portal.Web.Features.Serving;
using Portal.Web.Startup;
using Portal.Worker.Hosting;

var builder = WebApplication.CreateBuilder(args);

// A serving-only node (--Hosting:Role=Serving): health, token authentication and the prediction endpoints, nothing else.
if (ServingHost.IsServingRole(builder.Configuration))
{
    builder.AddPortalData();
    builder.AddMigrationOnStart();
    builder.AddPortalServingHost();
    var serving = builder.Build();
    serving.UsePortalServingHost();
    await serving.RunAsync();
    return 0;
}

builder.AddPortalData();
builder.AddMigrationOnStart();
builder.AddPortalApplication();
builder.AddPortalIdentity();
builder.AddPortalWeb();
if (builder.Configuration.GetValue($"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Embedded)}", true))
{
    builder.AddPortalWorker(embedded: true);
}

var app = builder.Build();

if (PortalCommandLine.IsCommand(args))
{
    return await PortalCommandLine.RunAsync(app, args);
}

app.UsePortalWeb();
await app.RunAsync();
return 0;

/// <summary>Entry point; public so that integration tests can host the app with <c>WebApplicationFactory</c>.</summary>
public partial class Program;
