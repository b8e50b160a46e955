using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Web.Features.Users;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Audit;

/// <summary>Each test gets its own database, because one of them breaks the chain on purpose.</summary>
public sealed class AuditChainTests : IAsyncLifetime
{
    private readonly PortalAppFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task VerifyReportsAnIntactChainAfterRealActivity()
    {
        var dpo = await BrowserSession.SignInAsync(factory, DemoAccounts.Dpo);
        await BrowserSession.SignInAsync(factory, DemoAccounts.Admin);

        var result = await dpo.GetFromJsonAsync<JsonElement>("/api/audit/verify");

        Assert.True(result.GetProperty("intact").GetBoolean());
        Assert.True(result.GetProperty("entriesVerified").GetInt64() >= 8, "six demo users created plus two sign-ins");
        Assert.Equal(JsonValueKind.Null, result.GetProperty("brokenAtSequence").ValueKind);
    }

    [Fact]
    public async Task VerifyNamesTheEntryTamperedWithRawSql()
    {
        var dpo = await BrowserSession.SignInAsync(factory, DemoAccounts.Dpo);
        using (var connection = factory.OpenDatabase())
        {
            Execute(connection, "DROP TRIGGER audit_entries_no_update;");
            Execute(connection, "UPDATE AuditEntries SET ActorName = 'someone-else' WHERE Sequence = 3;");
        }

        var result = await dpo.GetFromJsonAsync<JsonElement>("/api/audit/verify");

        Assert.False(result.GetProperty("intact").GetBoolean());
        Assert.Equal(3, result.GetProperty("brokenAtSequence").GetInt64());
        Assert.Contains("Entry 3 was altered", result.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task DeletedEntryIsNamedByVerify()
    {
        var dpo = await BrowserSession.SignInAsync(factory, DemoAccounts.Dpo);
        using (var connection = factory.OpenDatabase())
        {
            Execute(connection, "DROP TRIGGER audit_entries_no_delete;");
            Execute(connection, "DELETE FROM AuditEntries WHERE Sequence = 2;");
        }

        var result = await dpo.GetFromJsonAsync<JsonElement>("/api/audit/verify");

        Assert.False(result.GetProperty("intact").GetBoolean());
        Assert.Equal(3, result.GetProperty("brokenAtSequence").GetInt64());
        Assert.Contains("Entry 2 is missing", result.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("UPDATE AuditEntries SET Action = 'x' WHERE Sequence = 1;")]
    [InlineData("DELETE FROM AuditEntries WHERE Sequence = 1;")]
    public async Task TheDatabaseRefusesToChangeHistory(string sql)
    {
        await factory.Services.GetRequiredService<AuditTrail>().VerifyAsync();
        using var connection = factory.OpenDatabase();

        var error = Assert.Throws<SqliteException>(() => Execute(connection, sql));

        Assert.Contains("append-only", error.Message);
    }

    [Fact]
    public async Task AdministratorActsAreAuditedWithBeforeAndAfter()
    {
        var users = factory.Services.GetRequiredService<UserAdministrationService>();
        var created = await users.CreateAsync(new CreateUserRequest("roles@portal.local", "Roles", "Long-enough-pass-1", [Roles.DataScientist]),
            AuditActor.Service("test"), CancellationToken.None);

        await users.SetRolesAsync(created.Value!.Id, [Roles.BusinessManager, Roles.DataScientist], AuditActor.Service("test"), CancellationToken.None);

        using var connection = factory.OpenDatabase();
        var details = Scalar(connection, $"SELECT DetailsJson FROM AuditEntries WHERE Action = '{AuditActions.UserRolesChanged.Name}' AND SubjectId = '{created.Value.Id}'");
        Assert.Equal("""{"change":{"after":["BusinessManager","DataScientist"],"before":["DataScientist"]},"email":"roles@portal.local"}""", details);
    }

    [Fact]
    public async Task RefusedChangeWritesNoAuditEntry()
    {
        var users = factory.Services.GetRequiredService<UserAdministrationService>();
        var admin = (await users.ListAsync(new UserQuery("admin@"), CancellationToken.None)).Items.Single();
        using var connection = factory.OpenDatabase();
        var before = Scalar(connection, "SELECT COUNT(*) FROM AuditEntries");

        var result = await users.LockAsync(admin.Id, AuditActor.User(admin.Id, admin.Email), CancellationToken.None);
        var lastAdmin = await users.SetRolesAsync(admin.Id, [], AuditActor.Service("test"), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("own account", result.Error);
        Assert.Contains("last administrator", lastAdmin.Error);
        Assert.Equal(before, Scalar(connection, "SELECT COUNT(*) FROM AuditEntries"));
    }

    [Fact]
    public async Task ConcurrentWritersStillFormOneUnbrokenChain()
    {
        var trail = factory.Services.GetRequiredService<AuditTrail>();
        await trail.VerifyAsync();

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => trail.WriteAsync(AuditActor.Service($"writer-{i % 4}"), AuditActions.SignInFailed, AuditSubject.User($"concurrent-{i}")))));
        var result = await trail.VerifyAsync();

        Assert.True(result.Intact, result.Reason);
        using var connection = factory.OpenDatabase();
        Assert.Equal("40", Scalar(connection, "SELECT COUNT(*) FROM AuditEntries WHERE ActorName LIKE 'writer-%'"));
    }

    [Fact]
    public async Task ExportContainsEveryEntryWithItsHash()
    {
        var dpo = await BrowserSession.SignInAsync(factory, DemoAccounts.Dpo);

        var response = await dpo.GetAsync("/api/audit/export");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("sequence,timestampUtc", lines[0]);
        using var connection = factory.OpenDatabase();
        Assert.Equal(Scalar(connection, "SELECT COUNT(*) FROM AuditEntries"), (lines.Length - 1).ToString());
        // The stored columns keep their positions; the display texts the page shows follow the hash.
        var first = (Hash: Scalar(connection, "SELECT Hash FROM AuditEntries WHERE Sequence = 1"),
            Action: Scalar(connection, "SELECT Action FROM AuditEntries WHERE Sequence = 1"),
            SubjectType: Scalar(connection, "SELECT SubjectType FROM AuditEntries WHERE Sequence = 1"));
        Assert.EndsWith($",{first.Hash},{AuditActions.Describe(first.Action)},{AuditSubjectKinds.Describe(first.SubjectType)}", lines[1].TrimEnd('\r'));
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
