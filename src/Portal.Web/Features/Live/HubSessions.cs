using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Portal.Data.Identity;
using Portal.Domain.Security;
using Portal.Web.Features.Account;
using Portal.Web.Features.Tokens;
using Portal.Web.Security;

namespace Portal.Web.Features.Live;

/// <summary>
/// The hub connections of this process, for every hub. A request is checked as it comes, but a connection lives on:
/// every <c>Security:RevalidationSeconds</c> each one is checked again and closed once it no longer admits its holder,
/// as an open tab is signed out. A token's connection: the token revoked or expired, or its owner locked out or no
/// longer in a role the hub admits. A sign-in cookie's connection: the user deleted or locked out, or their security
/// stamp renewed (a role change, a password reset). Connections are per process, and so is this list.
/// </summary>
public sealed class HubSessions(
    TokenService tokens,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> identity,
    IOptions<SecurityOptions> security,
    ILogger<HubSessions> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Session> sessions = new();

    /// <summary>Tracks a connection of a hub that admits holders of <paramref name="policy"/>.</summary>
    public void Opened(HubCallerContext connection, string policy)
    {
        if (connection.User?.Identity?.IsAuthenticated != true)
        {
            return;
        }

        // A capability granted to every signed-in user lists no roles: any role keeps such a connection open.
        var roles = AuthorizationMatrix.Get(policy).Roles is { Count: > 0 } granted ? granted : Roles.All;
        sessions[connection.ConnectionId] = new Session(connection,
            Guid.TryParse(connection.User.FindFirst(PortalClaimTypes.TokenId)?.Value, out var tokenId) ? tokenId : null, roles);
    }

    public void Closed(HubCallerContext connection) => sessions.TryRemove(connection.ConnectionId, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(security.Value.RevalidationSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var (id, session) in sessions)
            {
                try
                {
                    if (!await StillAdmitsAsync(session, stoppingToken))
                    {
                        logger.LogInformation("Closed hub connection {ConnectionId}: its {Credential} no longer admits it.", id,
                            session.TokenId is null ? "sign-in" : $"token {session.TokenId}");
                        sessions.TryRemove(id, out _);
                        session.Connection.Abort();
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Re-checking hub connection {ConnectionId} failed; will retry.", id);
                }
            }
        }
    }

    private async Task<bool> StillAdmitsAsync(Session session, CancellationToken cancellationToken)
    {
        if (session.TokenId is { } token)
        {
            return await tokens.StillAdmitsAsync(token, session.Roles, cancellationToken);
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return await IdentityRevalidatingAuthenticationStateProvider.IsStillValidAsync(users, session.Connection.User!, identity.Value);
    }

    private sealed record Session(HubCallerContext Connection, Guid? TokenId, IReadOnlyCollection<string> Roles);
}
