namespace Portal.Application.Monitoring;

/// <summary>How one worker runs the retraining loop: its name (the lease owner), the lease, and the most log rows one retraining trains on.</summary>
public sealed record RetrainingSettings(string WorkerId, TimeSpan Lease, int MaxRows);
