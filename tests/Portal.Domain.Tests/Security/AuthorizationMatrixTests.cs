using System.Reflection;
using Portal.Domain.Security;

namespace Portal.Domain.Tests.Security;

public sealed class AuthorizationMatrixTests
{
    public static TheoryData<string> PolicyNames()
    {
        var data = new TheoryData<string>();
        foreach (var field in typeof(Policies).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            data.Add((string)field.GetValue(null)!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PolicyNames))]
    public void EveryPolicyConstantIsDeclaredInTheMatrix(string policy) => Assert.True(AuthorizationMatrix.Contains(policy));

    [Theory]
    [InlineData(Roles.Administrator, true)]
    [InlineData(Roles.DataScientist, false)]
    [InlineData(Roles.BusinessManager, false)]
    [InlineData(Roles.DataProtectionOfficer, false)]
    public void OnlyAdministratorsManageUsers(string role, bool allowed) =>
        Assert.Equal(allowed, AuthorizationMatrix.IsAllowed(Policies.ManageUsers, [role]));

    [Theory]
    [InlineData(Roles.Administrator, true)]
    [InlineData(Roles.DataProtectionOfficer, true)]
    [InlineData(Roles.DataScientist, false)]
    [InlineData(Roles.BusinessManager, false)]
    public void AuditTrailIsForAdministratorsAndDpos(string role, bool allowed) =>
        Assert.Equal(allowed, AuthorizationMatrix.IsAllowed(Policies.ReadAudit, [role]));

    [Fact]
    public void SignedInCapabilityNeedsNoRole() => Assert.True(AuthorizationMatrix.IsAllowed(Policies.SignedIn, []));

    [Fact]
    public void AUserWithSeveralRolesGetsTheUnion() =>
        Assert.True(AuthorizationMatrix.IsAllowed(Policies.ReadAudit, [Roles.DataScientist, Roles.DataProtectionOfficer]));

    [Fact]
    public void UnknownPolicyIsAnError() => Assert.Throws<KeyNotFoundException>(() => AuthorizationMatrix.Get("Nope"));
}
