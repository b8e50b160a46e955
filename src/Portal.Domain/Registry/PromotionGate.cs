namespace Portal.Domain.Registry;

/// <summary>
/// A check a promotion must pass. All but <see cref="HumanApproval"/> are hard gates evaluated by the worker: a
/// <see cref="GateVerdict.Failed"/> verdict on any of them blocks the request.
/// </summary>
public enum PromotionGate
{
    Quality = 0,
    Schema = 1,
    Diagnostics = 2,
    Fairness = 3,
    DataProtection = 4,
    HumanApproval = 5,
}
