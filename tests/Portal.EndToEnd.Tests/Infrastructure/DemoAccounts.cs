namespace Portal.EndToEnd.Tests.Infrastructure;

/// <summary>The demo accounts the app seeds in Development (see IdentitySeeder), all with <see cref="Password"/>.</summary>
public static class DemoAccounts
{
    public const string Password = "E2e-Demo-Password-2026!";

    public const string Scientist = "scientist@portal.local";
    public const string Manager = "manager@portal.local";
    public const string Manager2 = "manager2@portal.local";
    public const string DataProtectionOfficer = "dpo@portal.local";
    public const string Administrator = "admin@portal.local";
}
