using Microsoft.Extensions.Hosting;
using Portal.Application.Hosting;
using Portal.Worker.Hosting;

namespace Portal.Worker;

/// <summary>
/// The training and monitoring host on its own, against the same database as the portal:
/// <c>dotnet run --project src/Portal.Worker</c>. (A named class, not top-level statements, so its
/// entry point does not clash with the web project's public <c>Program</c>.)
/// </summary>
internal static class WorkerProgram
{
    public static async Task Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddPortalData();
        builder.AddMigrationOnStart();
        builder.AddPortalApplication();
        builder.AddPortalWorker(embedded: false);
        await builder.Build().RunAsync();
    }
}
