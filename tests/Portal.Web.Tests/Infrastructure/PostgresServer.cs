using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL server for one test class: its own data folder under the temp directory, its own port on
/// 127.0.0.1, trust authentication, stopped and deleted on dispose. Uses Debian's binaries
/// (/usr/lib/postgresql/N/bin, package <c>postgresql</c>, installed by tests/run.sh); as root, initdb and postgres run
/// as the <c>postgres</c> user, which they require.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _folder;
    private readonly Process _server;

    private PostgresServer(string folder, Process server, int port)
    {
        _folder = folder;
        _server = server;
        Port = port;
    }

    public int Port { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin; tests/run.sh installs the postgresql package.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "portal-pg", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["-R", "postgres", folder]);
        }

        await RunAsync(Path.Combine(bin, "initdb"), ["-D", Path.Combine(folder, "data"), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"], asRoot);
        var port = FreePort();
        var server = Start(Path.Combine(bin, "postgres"),
            ["-D", Path.Combine(folder, "data"), "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", folder, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"], asRoot);
        var instance = new PostgresServer(folder, server, port);
        await instance.WaitUntilReadyAsync();
        return instance;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false";

    public async ValueTask DisposeAsync()
    {
        if (!_server.HasExited)
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline && !_server.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process Start(string file, IEnumerable<string> arguments, bool asPostgresUser)
    {
        var process = Process.Start(StartInfo(file, arguments, asPostgresUser)) ?? throw new InvalidOperationException($"Could not start {file}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task RunAsync(string file, IEnumerable<string> arguments, bool asPostgresUser = false)
    {
        using var process = Process.Start(StartInfo(file, arguments, asPostgresUser)) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static ProcessStartInfo StartInfo(string file, IEnumerable<string> arguments, bool asPostgresUser)
    {
        var info = new ProcessStartInfo(asPostgresUser ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (asPostgresUser ? ["-u", "postgres", "--", file] : Enumerable.Empty<string>()).Concat(arguments))
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }
}
