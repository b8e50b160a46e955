using Microsoft.AspNetCore.Identity;
using Portal.Application.Hosting;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Web.Features.Tokens;
using Portal.Web.Features.Users;
using Portal.Web.Startup;

namespace Portal.Web.Cli;

/// <summary>
/// Administrative commands of the portal executable (for automation and the first administrator in Production):
/// <code>
/// dotnet run --project src/Portal.Web -- user create --email E --role R [--role R2] [--name "Display Name"]
/// dotnet run --project src/Portal.Web -- token create --user E --scope read[,write,predict] [--days N] [--name N]
/// </code>
/// <c>user create</c> reads the password from PORTAL_PASSWORD or prompts for it; <c>token create</c> prints the
/// token alone on its last line. Exit code 0 on success, 2 on bad input, 1 on failure.
/// </summary>
public static class PortalCommandLine
{
    private static readonly AuditActor Actor = AuditActor.Service("portal-cli");

    public static bool IsCommand(string[] args) => args is ["user", ..] or ["token", ..];

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        try
        {
            var options = ParseOptions(args.Skip(2).ToArray());
            using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellation.Token);
            await app.Services.GetRequiredService<IdentitySeeder>().EnsureRolesAsync(cancellation.Token);
            return args switch
            {
                ["user", "create", ..] => await CreateUserAsync(app.Services, options, cancellation.Token),
                ["token", "create", ..] => await CreateTokenAsync(app.Services, options, cancellation.Token),
                _ => Usage($"Unknown command '{string.Join(' ', args.Take(2))}'."),
            };
        }
        catch (ArgumentException ex)
        {
            return Usage(ex.Message);
        }
    }

    private static async Task<int> CreateUserAsync(IServiceProvider services, ILookup<string, string> options, CancellationToken cancellationToken)
    {
        var email = Single(options, "email") ?? throw new ArgumentException("--email is required.");
        var roles = options["role"].SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (roles.Count == 0)
        {
            throw new ArgumentException($"--role is required (one or more of {string.Join(", ", Roles.All)}).");
        }

        var password = Environment.GetEnvironmentVariable("PORTAL_PASSWORD");
        if (string.IsNullOrEmpty(password))
        {
            password = ReadPassword($"Password for {email} (at least 12 characters): ");
        }

        var result = await services.GetRequiredService<UserAdministrationService>()
            .CreateAsync(new CreateUserRequest(email, Single(options, "name"), password, roles), Actor, cancellationToken);
        if (!result.Succeeded)
        {
            await Console.Error.WriteLineAsync($"error: {result.Error}");
            return result.Status == OperationStatus.Conflict ? 1 : 2;
        }

        Console.WriteLine($"Created user {result.Value!.Email} ({result.Value.Id}) with roles {string.Join(", ", result.Value.Roles)}.");
        return 0;
    }

    private static async Task<int> CreateTokenAsync(IServiceProvider services, ILookup<string, string> options, CancellationToken cancellationToken)
    {
        var email = Single(options, "user") ?? throw new ArgumentException("--user is required (the owner's email).");
        var scopes = Single(options, "scope") ?? throw new ArgumentException("--scope is required (read, write, predict; comma-separated).");
        var daysText = Single(options, "days");
        int? days = daysText is null ? null
            : int.TryParse(daysText, out var d) ? d : throw new ArgumentException("--days must be a whole number of days.");

        await using var scope = services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
        if (user is null)
        {
            await Console.Error.WriteLineAsync($"error: no user with the email {email}.");
            return 2;
        }

        var request = new CreateTokenRequest(Single(options, "name") ?? $"cli {DateTime.UtcNow:yyyy-MM-dd HH:mm}",
            scopes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), days);
        var result = await services.GetRequiredService<TokenService>().CreateAsync(user.Id, request, Actor, cancellationToken);
        if (!result.Succeeded)
        {
            await Console.Error.WriteLineAsync($"error: {result.Error}");
            return 2;
        }

        var token = result.Value!;
        Console.WriteLine($"Token '{token.Name}' for {email}, scopes {string.Join(",", token.Scopes)}, expires {token.ExpiresUtc:yyyy-MM-dd} UTC. It is shown only now:");
        Console.WriteLine(token.Token);
        return 0;
    }

    private static ILookup<string, string> ParseOptions(string[] args)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && args[i].Contains(':', StringComparison.Ordinal))
            {
                // A configuration switch (--Database:DataDirectory=/data or --Database:DataDirectory /data): the host already read it.
                i += args[i].Contains('=', StringComparison.Ordinal) ? 0 : 1;
                continue;
            }

            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--option value' but found '{args[i]}'.");
            }

            pairs.Add(KeyValuePair.Create(args[i][2..].ToLowerInvariant(), args[++i]));
        }

        return pairs.ToLookup(p => p.Key, p => p.Value);
    }

    private static string? Single(ILookup<string, string> options, string name) => options[name].LastOrDefault();

    private static string ReadPassword(string prompt)
    {
        if (Console.IsInputRedirected)
        {
            return Console.ReadLine() ?? "";
        }

        Console.Write(prompt);
        var password = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.WriteLine();
                return password.ToString();
            }

            if (key.Key == ConsoleKey.Backspace && password.Length > 0)
            {
                password.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
    }

    private static int Usage(string problem)
    {
        Console.Error.WriteLine($"error: {problem}");
        Console.Error.WriteLine("usage: user create --email E --role R[,R2] [--name N]   (password from PORTAL_PASSWORD or prompt)");
        Console.Error.WriteLine("       token create --user E --scope read[,write,predict] [--days N] [--name N]");
        return 2;
    }
}
