using System.Globalization;
using System.Text.Json;
using Portal.Domain.Audit;

namespace Portal.Application.Audit;

/// <summary>
/// Publishes checkpoints outside the database: <c>checkpoint-&lt;id&gt;.json</c> per checkpoint and <c>public-key-&lt;keyId&gt;.pem</c>,
/// in <see cref="AuditCheckpointKeys.PublishDirectory"/>. Files are written to a temporary name and moved into place, never
/// rewritten once there; so deleting or rewriting a checkpoint row in the database leaves the published copy to prove it.
/// </summary>
public sealed class AuditCheckpointPublisher(AuditCheckpointKeys keys)
{
    private const string Prefix = "checkpoint-";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Directory => keys.PublishDirectory;

    public static string FileName(long id) => Prefix + id.ToString("D10", CultureInfo.InvariantCulture) + ".json";

    /// <summary>Writes the public key next to the checkpoints (once per key).</summary>
    public void PublishPublicKey(AuditCheckpointPublicKey key)
    {
        WriteOnce(Path.Combine(Directory, $"public-key-{key.KeyId}.pem"), key.Pem);
    }

    /// <summary>Writes the checkpoint's file unless it is already there; true when written now.</summary>
    public bool Publish(SignedAuditCheckpoint checkpoint) =>
        WriteOnce(Path.Combine(Directory, FileName(checkpoint.Id)), JsonSerializer.Serialize(checkpoint, Json));

    public bool IsPublished(long id) => File.Exists(Path.Combine(Directory, FileName(id)));

    /// <summary>Every published checkpoint; files that are not checkpoints are reported, not trusted.</summary>
    public (IReadOnlyList<SignedAuditCheckpoint> Checkpoints, IReadOnlyList<string> Problems) ReadAll()
    {
        var checkpoints = new List<SignedAuditCheckpoint>();
        var problems = new List<string>();
        if (!System.IO.Directory.Exists(Directory))
        {
            return (checkpoints, problems);
        }

        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, Prefix + "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var checkpoint = JsonSerializer.Deserialize<SignedAuditCheckpoint>(File.ReadAllText(path), Json);
                if (checkpoint is null || string.IsNullOrEmpty(checkpoint.HeadHash) || string.IsNullOrEmpty(checkpoint.Signature)
                    || Path.GetFileName(path) != FileName(checkpoint.Id))
                {
                    problems.Add($"The published file {Path.GetFileName(path)} is not a checkpoint of this portal (or was renamed); it is not trusted.");
                    continue;
                }

                checkpoints.Add(checkpoint with { CreatedUtc = DateTime.SpecifyKind(checkpoint.CreatedUtc.ToUniversalTime(), DateTimeKind.Utc) });
            }
            catch (Exception ex) when (ex is JsonException or IOException or NotSupportedException)
            {
                problems.Add($"The published file {Path.GetFileName(path)} cannot be read as a checkpoint ({ex.Message}); it is not trusted.");
            }
        }

        return (checkpoints, problems);
    }

    private bool WriteOnce(string path, string content)
    {
        if (File.Exists(path))
        {
            return false;
        }

        System.IO.Directory.CreateDirectory(Directory);
        var temporary = Path.Combine(Directory, $".{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temporary, content);
        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException)
        {
            // Another process published the same checkpoint first; its copy is identical.
            File.Delete(temporary);
            return false;
        }
    }
}
