using Microsoft.AspNetCore.Hosting;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>The app with its embedded training host running, polling often so tests do not wait.</summary>
public sealed class TrainingAppFactory : PortalAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Worker:Embedded", "true");
        builder.UseSetting("Training:PollSeconds", "1");
        builder.UseSetting("Training:FlushMilliseconds", "100");
    }
}
