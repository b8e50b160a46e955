using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Portal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A Portal host run as its own OS process from the build output (<c>dotnet Portal.Web.dll</c> or
/// <c>dotnet Portal.Worker.dll</c>) against a shared SQLite database. Its stdout and stderr are kept for the test
/// output; disposing kills it with its process tree.
/// </summary>
public sealed partial class PortalProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private PortalProcess(string name, ProcessStartInfo start)
    {
        Name = name;
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Record(e.Data, "");
        process.ErrorDataReceived += (_, e) => Record(e.Data, " !");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    /// <summary>What the process wrote so far, one line each, prefixed by its name (stderr lines marked with "!").</summary>
    public IReadOnlyList<string> Output => [.. output];

    /// <summary>
    /// A second web node, as deployed: <c>dotnet Portal.Web.dll</c> in Development (static web assets resolve from the
    /// build output only there) on a port of its own choosing, without an embedded worker and without demo seeding
    /// (the first node seeded the demo accounts into the shared database). Returns once its /healthz answers.
    /// </summary>
    public static async Task<(PortalProcess Process, Uri BaseAddress)> StartWebNodeAsync(string name, string dataDirectory)
    {
        var start = StartInfo(BuiltAssembly("Portal.Web"), dataDirectory);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Worker__Embedded"] = "false";
        start.Environment["Demo__Enabled"] = "false";
        start.Environment["Demo__SeedData"] = "false";
        var node = new PortalProcess(name, start);
        try
        {
            // Port 0 lets Kestrel pick a free port with no race; the host logs the one it got.
            var listening = await node.WaitForLineAsync(ListeningOn(), "to listen");
            var baseAddress = new Uri(listening.Groups[1].Value.TrimEnd('/') + "/");
            await node.WaitForHealthyAsync(baseAddress);
            return (node, baseAddress);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The standalone training worker (<c>dotnet Portal.Worker.dll</c>) named <paramref name="workerId"/>: polls every
    /// second and writes every curve chunk as it is computed. Returns once its host has started.
    /// </summary>
    public static async Task<PortalProcess> StartWorkerAsync(string workerId, string dataDirectory)
    {
        var start = StartInfo(BuiltAssembly("Portal.Worker"), dataDirectory);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Worker__WorkerId"] = workerId;
        start.Environment["Training__PollSeconds"] = "1";
        start.Environment["Training__FlushMilliseconds"] = "0";
        var worker = new PortalProcess(workerId, start);
        try
        {
            await worker.WaitForLineAsync(ApplicationStarted(), "to start");
            return worker;
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(patience.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // It never started or is already gone.
        }
        catch (OperationCanceledException)
        {
            // Killed but slow to be reaped: the test is over either way, and its output says what it did.
        }
        finally
        {
            process.Dispose();
        }
    }

    private static ProcessStartInfo StartInfo(string assembly, string dataDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The content root: appsettings.json and the static web assets manifest sit beside the assembly.
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Database__DataDirectory"] = dataDirectory;
        start.Environment["Database__ConnectionString"] = "";
        // Plain console lines, one per message, whatever the terminal.
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.Environment["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled";
        return start;
    }

    /// <summary>The host built beside this test run (same configuration), as tests/run.sh builds Portal.sln first.</summary>
    private static string BuiltAssembly(string project)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Portal.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException($"No Portal.sln above {AppContext.BaseDirectory}.");
        }

        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var assembly = Path.Combine(directory.FullName, "src", project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(assembly)
            ? assembly
            : throw new InvalidOperationException($"{assembly} is missing: build Portal.sln ({configuration}) before running this test.");
    }

    private void Record(string? line, string marker)
    {
        if (line is not null)
        {
            output.Enqueue($"{Name}{marker}: {line}");
        }
    }

    private async Task<Match> WaitForLineAsync(Regex pattern, string what)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (output.Select(line => pattern.Match(line)).FirstOrDefault(m => m.Success) is { } match)
            {
                return match;
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {process.ExitCode} before it came {what}:\n{string.Join("\n", output)}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} did not come {what} within {StartTimeout.TotalSeconds:0} s:\n{string.Join("\n", output)}");
            }

            await Task.Delay(100);
        }
    }

    private async Task WaitForHealthyAsync(Uri baseAddress)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + StartTimeout;
        string last = "no answer";
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync("healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} was not healthy at {baseAddress}healthz (last: {last}):\n{string.Join("\n", output)}");
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();

    [GeneratedRegex(@"Application started")]
    private static partial Regex ApplicationStarted();
}
