using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portal.Worker.Tests.Webhooks;

/// <summary>
/// A webhook receiver on real Kestrel at 127.0.0.1 on a free port: records every request (headers and raw body bytes),
/// then answers as <see cref="Answer"/> says (a status code, or hang until released or the request is aborted).
/// </summary>
public sealed class TestReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TestReceiver(WebApplication app) => this.app = app;

    /// <summary>The status code answered, or null to hang until <see cref="Release"/> (or the client gives up).</summary>
    public int? Answer { get; set; } = 200;

    public ConcurrentQueue<Received> Requests { get; } = new();

    public string Url { get; private set; } = "";

    public static async Task<TestReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new TestReceiver(app);
        app.MapPost("/hook", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address + "/hook";
        return receiver;
    }

    /// <summary>Lets every hanging request answer 200.</summary>
    public void Release() => release.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Release();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        Requests.Enqueue(new Received(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray()));
        if (Answer is { } status)
        {
            context.Response.StatusCode = status;
            return;
        }

        try
        {
            await release.Task.WaitAsync(context.RequestAborted);
            context.Response.StatusCode = 200;
        }
        catch (OperationCanceledException)
        {
            // The dispatcher gave up waiting.
        }
    }

    public sealed record Received(IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
    }
}
