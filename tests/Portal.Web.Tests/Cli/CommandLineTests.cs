using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Cli;

/// <summary>Runs the real portal executable's commands against a Production-configured database, as an operator would.</summary>
public sealed class CommandLineTests : IAsyncLifetime
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "portal-cli-tests", Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task FirstAdministratorAndATokenAreCreatedFromTheCommandLineAndTheTokenWorks()
    {
        var user = await RunAsync("user", "create", "--email", "first-admin@example.com", "--role", "Administrator");
        var token = await RunAsync("token", "create", "--user", "first-admin@example.com", "--scope", "read,write", "--days", "3");

        Assert.Equal(0, user.ExitCode);
        Assert.Equal(0, token.ExitCode);
        var secret = token.Output.TrimEnd().Split('\n')[^1].Trim();
        Assert.StartsWith("ptl_", secret);

        await using var app = new ProductionDatabaseFactory(dataDirectory);
        var client = TokenFactory.ClientWith(app, secret);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("first-admin@example.com", me.GetProperty("email").GetString());
        Assert.Equal("read,write", string.Join(",", me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString())));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/users")).StatusCode);
    }

    [Fact]
    public async Task ShortPasswordAndUnknownRoleAreRefusedWithAReason()
    {
        var shortPassword = await RunWithAsync(new() { ["PORTAL_PASSWORD"] = "short" }, "user", "create", "--email", "a@example.com", "--role", "Administrator");
        var badRole = await RunAsync("user", "create", "--email", "b@example.com", "--role", "Wizard");
        var badScope = await RunAsync("token", "create", "--user", "a@example.com", "--scope", "everything");
        var stray = await RunAsync("token", "create", "--user", "a@example.com", "everything", "--Security:RevalidationSeconds=30");

        Assert.Equal(2, shortPassword.ExitCode);
        Assert.Contains("at least 12 characters", shortPassword.Error);
        Assert.Equal(2, badRole.ExitCode);
        Assert.Contains("Unknown role 'Wizard'", badRole.Error);
        Assert.Equal(2, badScope.ExitCode);
        Assert.Equal(2, stray.ExitCode);
        Assert.Contains("Expected '--option value' but found 'everything'", stray.Error);
        Assert.DoesNotContain("Unhandled exception", stray.Error);
    }

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) =>
        RunWithAsync(new Dictionary<string, string> { ["PORTAL_PASSWORD"] = "Operator-Chosen-Passw0rd" }, args);

    private async Task<(int ExitCode, string Output, string Error)> RunWithAsync(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Portal.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Database__DataDirectory"] = dataDirectory;
        start.Environment["Worker__Embedded"] = "false";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private sealed class ProductionDatabaseFactory(string dataDirectory) : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Database:DataDirectory", dataDirectory);
            builder.UseSetting("Worker:Embedded", "false");
        }
    }
}
