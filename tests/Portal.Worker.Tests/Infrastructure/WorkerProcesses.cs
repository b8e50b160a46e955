using System.Collections.Concurrent;
using System.Diagnostics;

namespace Portal.Worker.Tests.Infrastructure;

/// <summary>
/// Standalone workers as real processes (<c>dotnet Portal.Worker.dll</c>, the build beside this test run) on a test's SQLite
/// folder, their output kept for failure messages; every one still running is killed on dispose. Kill one with
/// <see cref="Process.Kill(bool)"/> (SIGKILL) to test what a crash leaves behind.
/// </summary>
public sealed class WorkerProcesses(string dataDirectory) : IAsyncDisposable
{
    private readonly List<Process> processes = [];
    private readonly ConcurrentQueue<string> output = new();

    /// <summary>Everything the workers wrote, one line each, prefixed with the worker's name.</summary>
    public string Output => string.Join("\n", output);

    /// <summary>Starts worker <paramref name="name"/> with <paramref name="settings"/> (configuration keys in environment form, e.g. <c>Rollouts__IntervalSeconds</c>).</summary>
    public Process Start(string name, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var assembly = WorkerAssembly();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Database__DataDirectory"] = dataDirectory;
        start.Environment["Database__ConnectionString"] = "";
        start.Environment["Worker__WorkerId"] = name;
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => output.Enqueue($"{name}: {e.Data}");
        process.ErrorDataReceived += (_, e) => output.Enqueue($"{name} !: {e.Data}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        processes.Add(process);
        return process;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; past the deadline, fails with <paramref name="what"/> and the workers' output.</summary>
    public async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(1));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited too long for {what}:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }

    /// <summary>The standalone worker built beside this test run (same configuration).</summary>
    public static string WorkerAssembly()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Portal.sln")))
        {
            directory = directory.Parent;
        }

        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var assembly = Path.Combine(directory!.FullName, "src", "Portal.Worker", "bin", configuration, "net10.0", "Portal.Worker.dll");
        return File.Exists(assembly) ? assembly : throw new InvalidOperationException($"{assembly} is missing: build Portal.sln first.");
    }
}
