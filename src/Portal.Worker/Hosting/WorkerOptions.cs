using System.ComponentModel.DataAnnotations;

namespace Portal.Worker.Hosting;

/// <summary>The background host's settings (section <c>Worker</c>).</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Run the worker inside the web process (the embedded default). Off on web nodes of a scale-out.</summary>
    public bool Embedded { get; set; } = true;

    /// <summary>Identifies this worker in heartbeats and leases; blank means host name + process id.</summary>
    [MaxLength(128)]
    public string? WorkerId { get; set; }

    [Range(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 15;
}
