namespace Portal.Data.Tests.Artifacts;

/// <summary>A fresh store root under the system temp folder, deleted with the test class.</summary>
public sealed class TempStoreRoot : IDisposable
{
    public TempStoreRoot()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "portal-cas-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Every file under the root, partial uploads included.</summary>
    public string[] AllFiles() => Directory.GetFiles(Path, "*", SearchOption.AllDirectories);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
