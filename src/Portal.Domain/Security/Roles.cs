namespace Portal.Domain.Security;

/// <summary>The four roles of Portal. A user may hold several.</summary>
public static class Roles
{
    public const string DataScientist = "DataScientist";
    public const string BusinessManager = "BusinessManager";
    public const string DataProtectionOfficer = "DataProtectionOfficer";
    public const string Administrator = "Administrator";

    public static readonly IReadOnlyList<string> All =
        [DataScientist, BusinessManager, DataProtectionOfficer, Administrator];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    public static string DisplayName(string role) => role switch
    {
        DataScientist => "Data scientist",
        BusinessManager => "Business manager",
        DataProtectionOfficer => "Data protection officer",
        Administrator => "Administrator",
        _ => role,
    };
}
