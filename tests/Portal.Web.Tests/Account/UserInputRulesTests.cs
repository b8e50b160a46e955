using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Domain.Security;
using Portal.Web.Features.Account;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Account;

/// <summary>Creating a user refuses bad input with a 400 problem that says what to fix, and creates nobody.</summary>
public sealed class UserInputRulesTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    public static TheoryData<string, string, string> BadBodies() => new()
    {
        { """{"email":"{EMAIL}","password":"Long-Enough-Pass-1","roles":[null]}""", "roles[0]", "null role" },
        { """{"email":"{EMAIL}","password":"Long-Enough-Pass-1","roles":["DataScientist",null]}""", "roles[1]", "null second role" },
        { """{"email":"{EMAIL}","password":"Long-Enough-Pass-1","roles":["Wizard"]}""", "Unknown role 'Wizard' (roles[0])", "unknown role" },
        { """{"email":"{EMAIL}","password":"Long-Enough-Pass-1","roles":["DataScientist","DataScientist"]}""", "listed twice (roles[1])", "duplicate role" },
        { """{"email":"a@b","password":"Long-Enough-Pass-1","roles":[]}""", "needs a dot", "undotted domain" },
        { """{"email":"a@b.","password":"Long-Enough-Pass-1","roles":[]}""", "needs a dot", "empty last label" },
        { """{"email":"{EMAIL}","password":"{LONG}","roles":[]}""", $"at most {MaxLengthPasswordValidator.MaxLength} characters", "129-character password" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadInputIsA400ThatNamesTheProblemAndCreatesNobody(string body, string expected, string because)
    {
        var admin = await BrowserSession.SignInAsync(factory, DemoAccounts.Admin);
        var email = $"rule-{Guid.NewGuid():N}@example.com";
        body = body.Replace("{EMAIL}", email).Replace("{LONG}", new string('p', MaxLengthPasswordValidator.MaxLength - 4) + "Aa1!x");

        var response = await admin.PostAsync("/api/users", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Empty(factory.QueryColumn("SELECT Id FROM AspNetUsers WHERE Email IN ($e, 'a@b', 'a@b.')", ("$e", email)));
    }

    [Fact]
    public async Task APasswordOfExactlyTheMaximumLengthAndADottedDomainAreAccepted()
    {
        var admin = await BrowserSession.SignInAsync(factory, DemoAccounts.Admin);

        var response = await admin.PostAsJsonAsync("/api/users", new
        {
            email = $"max-{Guid.NewGuid():N}@sub.example.org",
            password = new string('p', MaxLengthPasswordValidator.MaxLength - 4) + "Aa1!",
            roles = new[] { Roles.DataScientist, Roles.BusinessManager },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
