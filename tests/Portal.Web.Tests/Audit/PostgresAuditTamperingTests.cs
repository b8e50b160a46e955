using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Data;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Audit;

/// <summary>A private PostgreSQL server for the class; each test gets a database of its own, as each breaks the chain.</summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = default!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// The audit trail on PostgreSQL, the scale-out provider: the database itself refuses to change history, and an
/// entry changed or removed behind its back (triggers disabled by the table's owner) is named by verify.
/// </summary>
public sealed class PostgresAuditTamperingTests(PostgresServerFixture fixture) : IClassFixture<PostgresServerFixture>
{
    [Theory]
    [InlineData("""UPDATE "AuditEntries" SET "Action" = 'x' WHERE "Sequence" = 1""")]
    [InlineData("""DELETE FROM "AuditEntries" WHERE "Sequence" = 1""")]
    [InlineData("""TRUNCATE "AuditEntries" """)]
    public async Task TheDatabaseRefusesToChangeHistory(string sql)
    {
        await using var portal = await PortalAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(portal, sql));

        Assert.Contains("append-only", error.MessageText);
    }

    [Fact]
    public async Task VerifyNamesTheEntryAlteredWithTheTriggerDisabled()
    {
        await using var portal = await PortalAsync();
        var dpo = await BrowserSession.SignInAsync(portal, DemoAccounts.Dpo);
        Assert.True((await VerifyAsync(dpo)).GetProperty("intact").GetBoolean());

        await ExecuteAsync(portal, """
            ALTER TABLE "AuditEntries" DISABLE TRIGGER audit_entries_no_update_delete;
            UPDATE "AuditEntries" SET "ActorName" = 'someone-else' WHERE "Sequence" = 3;
            """);
        var result = await VerifyAsync(dpo);

        Assert.False(result.GetProperty("intact").GetBoolean());
        Assert.Equal(3, result.GetProperty("brokenAtSequence").GetInt64());
        Assert.Contains("Entry 3 was altered", result.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task VerifyNamesTheEntryDeletedWithTheTriggerDisabled()
    {
        await using var portal = await PortalAsync();
        var dpo = await BrowserSession.SignInAsync(portal, DemoAccounts.Dpo);

        await ExecuteAsync(portal, """
            ALTER TABLE "AuditEntries" DISABLE TRIGGER audit_entries_no_update_delete;
            DELETE FROM "AuditEntries" WHERE "Sequence" = 2;
            """);
        var result = await VerifyAsync(dpo);

        Assert.False(result.GetProperty("intact").GetBoolean());
        Assert.Equal(3, result.GetProperty("brokenAtSequence").GetInt64());
        Assert.Contains("Entry 2 is missing", result.GetProperty("reason").GetString());
    }

    private async Task<PostgresAppFactory> PortalAsync()
    {
        var portal = new PostgresAppFactory(fixture.Server);
        await portal.InitializeAsync();
        return portal;
    }

    private static async Task<JsonElement> VerifyAsync(HttpClient dpo) => await dpo.GetFromJsonAsync<JsonElement>("/api/audit/verify");

    private static async Task ExecuteAsync(PortalAppFactory portal, string sql)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync(sql);
    }
}
