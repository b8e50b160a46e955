using Portal.Domain.Security;

namespace Portal.Domain.Tests.Security;

public sealed class ApiTokenTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void IssuedTokenStoresOnlyTheHashOfItsSecret()
    {
        var (token, secret) = ApiToken.Issue("u1", "notebook", [ApiScopes.Write, ApiScopes.Read], 30, Now);

        Assert.StartsWith(ApiToken.SecretPrefix, secret);
        Assert.True(secret.Length >= 40);
        Assert.Equal(ApiToken.HashSecret(secret), token.SecretHash);
        Assert.DoesNotContain(secret, token.SecretHash);
        Assert.Equal("read,write", token.Scopes);
        Assert.Equal(Now.UtcDateTime.AddDays(30), token.ExpiresUtc);
    }

    [Fact]
    public void TwoTokensNeverShareASecret()
    {
        var (_, a) = ApiToken.Issue("u1", "a", [ApiScopes.Read], 1, Now);
        var (_, b) = ApiToken.Issue("u1", "b", [ApiScopes.Read], 1, Now);

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void TokenExpiresAtItsExpiry()
    {
        var (token, _) = ApiToken.Issue("u1", "a", [ApiScopes.Read], 1, Now);

        Assert.True(token.IsActive(Now.AddHours(23)));
        Assert.False(token.IsActive(Now.AddDays(1)));
    }

    [Fact]
    public void RevokedTokenIsInactiveAndCannotBeRevokedTwice()
    {
        var (token, _) = ApiToken.Issue("u1", "a", [ApiScopes.Read], 10, Now);

        token.Revoke(Now);

        Assert.False(token.IsActive(Now));
        Assert.Throws<InvalidOperationException>(() => token.Revoke(Now));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(366)]
    public void LifetimeOutsideOneToThreeHundredSixtyFiveDaysIsRefused(int days) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ApiToken.Issue("u1", "a", [ApiScopes.Read], days, Now));

    [Theory]
    [InlineData("read, WRITE", true, "read,write")]
    [InlineData("predict,read,read", true, "read,predict")]
    [InlineData("admin", false, "")]
    [InlineData("", false, "")]
    public void ScopesAreParsedNormalisedAndChecked(string text, bool ok, string expected)
    {
        var parsed = ApiScopes.TryParse(text, out var scopes, out var error);

        Assert.Equal(ok, parsed);
        Assert.Equal(expected, string.Join(',', scopes));
        Assert.Equal(ok, error is null);
    }
}
