using Portal.Domain.Security;

namespace Portal.Web.Tests.Infrastructure;

public static class DemoAccounts
{
    public const string Scientist = "scientist@portal.local";
    public const string Manager = "manager@portal.local";
    public const string Dpo = "dpo@portal.local";
    public const string Admin = "admin@portal.local";

    public static readonly IReadOnlyDictionary<string, string> ByRole = new Dictionary<string, string>
    {
        [Roles.DataScientist] = Scientist,
        [Roles.BusinessManager] = Manager,
        [Roles.DataProtectionOfficer] = Dpo,
        [Roles.Administrator] = Admin,
    };
}
