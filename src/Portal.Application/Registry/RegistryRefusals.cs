using Portal.Domain.Registry;

namespace Portal.Application.Registry;

internal static class RegistryRefusals
{
    /// <summary>A domain refusal as a use case's failure: forbidden 403, invalid 400, otherwise a conflict 409.</summary>
    public static OperationResult<T> Fail<T>(Refusal refusal) => OperationResult<T>.Fail(refusal.Category switch
    {
        RefusalCategory.Forbidden => OperationStatus.Forbidden,
        RefusalCategory.Invalid => OperationStatus.Invalid,
        _ => OperationStatus.Conflict,
    }, refusal.Message);
}
