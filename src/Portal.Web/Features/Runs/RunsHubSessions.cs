using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Portal.Data.Identity;
using Portal.Domain.Security;
using Portal.Web.Features.Account;
using Portal.Web.Features.Tokens;
using Portal.Web.Security;

namespace Portal.Web.Features.Runs;

/// <summary>
/// The <see cref="RunsHub"/> connections of this process. A request is checked as it comes, but a connection lives
/// on: every <c>Security:RevalidationSeconds</c> each one is checked again and closed once it no longer admits its
/// holder, as an open tab is signed out. A token's connection: the token revoked or expired, or its owner locked out
/// or no longer in a role that may read runs. A sign-in cookie's connection: the user deleted or locked out, or their
/// security stamp renewed (a role change, a password reset). Connections are per process, and so is this list.
/// </summary>
public sealed class RunsHubSessions(
    TokenService tokens,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> identity,
    IOptions<SecurityOptions> security,
    ILogger<RunsHubSessions> logger) : BackgroundService
{
    private static readonly IReadOnlyCollection<string> ReaderRoles =
        AuthorizationMatrix.Capabilities.Single(c => c.Name == Policies.ReadExperiments).Roles;

    private readonly ConcurrentDictionary<string, (HubCallerContext Connection, Guid? TokenId)> sessions = new();

    public void Opened(HubCallerContext connection)
    {
        if (connection.User?.Identity?.IsAuthenticated != true)
        {
            return;
        }

        sessions[connection.ConnectionId] = Guid.TryParse(connection.User.FindFirst(PortalClaimTypes.TokenId)?.Value, out var tokenId)
            ? (connection, tokenId)
            : (connection, null);
    }

    public void Closed(HubCallerContext connection) => sessions.TryRemove(connection.ConnectionId, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(security.Value.RevalidationSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var (id, (connection, tokenId)) in sessions)
            {
                try
                {
                    if (!await StillAdmitsAsync(connection, tokenId, stoppingToken))
                    {
                        logger.LogInformation("Closed hub connection {ConnectionId}: its {Credential} no longer admits it.", id, tokenId is null ? "sign-in" : $"token {tokenId}");
                        sessions.TryRemove(id, out _);
                        connection.Abort();
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Re-checking hub connection {ConnectionId} failed; will retry.", id);
                }
            }
        }
    }

    private async Task<bool> StillAdmitsAsync(HubCallerContext connection, Guid? tokenId, CancellationToken cancellationToken)
    {
        if (tokenId is { } token)
        {
            return await tokens.StillAdmitsAsync(token, ReaderRoles, cancellationToken);
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return await IdentityRevalidatingAuthenticationStateProvider.IsStillValidAsync(users, connection.User!, identity.Value);
    }
}
