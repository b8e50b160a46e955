using System.Net.Http.Headers;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Web.Features.Tokens;

namespace Portal.Web.Tests.Infrastructure;

public static class TokenFactory
{
    public static async Task<CreatedToken> CreateAsync(IServiceProvider services, string email, params string[] scopes)
    {
        await using var scope = services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email)
                   ?? throw new InvalidOperationException($"No user {email}");
        var result = await services.GetRequiredService<TokenService>()
            .CreateAsync(user.Id, new CreateTokenRequest("test", scopes, 7), AuditActor.User(user.Id, email), CancellationToken.None);
        return result.Value ?? throw new InvalidOperationException(result.Error);
    }

    public static HttpClient ClientWith(WebApplicationFactory<Program> factory, string token)
    {
        var client = BrowserSession.NewClient(factory);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
