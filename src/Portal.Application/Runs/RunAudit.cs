namespace Portal.Application.Runs;

/// <summary>The audit actions the run use cases record.</summary>
public static class RunAudit
{
    public const string SubmittedAction = "run.submitted";
    public const string CancelledAction = "run.cancelled";
}
