using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Portal.Bench.Live;

/// <summary>
/// One web process of the portal: <c>dotnet Portal.Web.dll --urls http://127.0.0.1:PORT</c>, its output in a log file,
/// ready once <c>/healthz</c> answers. Killed (with its children) on dispose.
/// </summary>
internal sealed class WebNode : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private WebNode(string name, Process process, StreamWriter log, Uri baseAddress, string logPath)
    {
        Name = name;
        this.process = process;
        this.log = log;
        BaseAddress = baseAddress;
        LogPath = logPath;
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public string LogPath { get; }

    public int ProcessId => process.Id;

    /// <summary>
    /// User + system CPU time of the process so far: .NET reads utime and stime from /proc/PID/stat on Linux
    /// and converts clock ticks with the system's tick rate.
    /// </summary>
    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public static async Task<WebNode> StartAsync(string name, string webDll, IReadOnlyDictionary<string, string> environment, string logFolder)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var info = DotnetStartInfo(webDll, environment, ["--urls", baseAddress.ToString().TrimEnd('/')]);
        var logPath = Path.Combine(logFolder, $"{name}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {webDll}.");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new WebNode(name, process, log, baseAddress, logPath);
        await node.WaitUntilHealthyAsync(TimeSpan.FromMinutes(3));
        return node;
    }

    /// <summary>Runs the portal's command line (e.g. <c>token create</c>) against the same configuration and returns its output.</summary>
    public static async Task<string> RunCommandAsync(string webDll, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var info = DotnetStartInfo(webDll, environment, arguments);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {webDll}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{string.Join(' ', arguments)}' exited with {process.ExitCode}: {await error}{await output}");
        }

        return await output;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        lock (log)
        {
            log.Dispose();
        }
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Node {Name} exited with {process.ExitCode} while starting; see {LogPath}.");
            }

            try
            {
                using var response = await client.GetAsync("/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Node {Name} was not healthy within {timeout}; see {LogPath}.");
            }

            await Task.Delay(250);
        }
    }

    private static ProcessStartInfo DotnetStartInfo(string webDll, IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments)
    {
        // The content root is the working folder: the build output, where appsettings*.json are.
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(webDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(webDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.BaseStream.CanWrite)
            {
                log.WriteLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
