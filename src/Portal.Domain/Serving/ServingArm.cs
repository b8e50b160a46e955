namespace Portal.Domain.Serving;

/// <summary>Which version answered a predict request: the champion, or the canary of a staged rollout.</summary>
public enum ServingArm
{
    Champion = 0,
    Canary = 1,
}
