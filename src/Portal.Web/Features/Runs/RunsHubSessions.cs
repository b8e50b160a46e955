using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Portal.Domain.Security;
using Portal.Web.Features.Account;
using Portal.Web.Features.Tokens;
using Portal.Web.Security;

namespace Portal.Web.Features.Runs;

/// <summary>
/// The <see cref="RunsHub"/> connections of this process that an API token opened. A request is checked as it
/// comes, but a connection lives on: every <c>Security:RevalidationSeconds</c> each one's token is checked again
/// and the connection closed once the token is revoked or expired, or its owner locked out or no longer in a role
/// that may read runs — as an open tab is signed out. Connections are per process, and so is this list.
/// </summary>
public sealed class RunsHubSessions(TokenService tokens, IOptions<SecurityOptions> security, ILogger<RunsHubSessions> logger) : BackgroundService
{
    private static readonly IReadOnlyCollection<string> ReaderRoles =
        AuthorizationMatrix.Capabilities.Single(c => c.Name == Policies.ReadExperiments).Roles;

    private readonly ConcurrentDictionary<string, (HubCallerContext Connection, Guid TokenId)> sessions = new();

    public void Opened(HubCallerContext connection)
    {
        if (Guid.TryParse(connection.User?.FindFirst(PortalClaimTypes.TokenId)?.Value, out var tokenId))
        {
            sessions[connection.ConnectionId] = (connection, tokenId);
        }
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
                    if (!await tokens.StillAdmitsAsync(tokenId, ReaderRoles, stoppingToken))
                    {
                        logger.LogInformation("Closed hub connection {ConnectionId}: its token {TokenId} no longer admits it.", id, tokenId);
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
}
