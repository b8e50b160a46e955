namespace Portal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Two web nodes on one SQLite database and no training anywhere until a test starts a standalone worker: node A is
/// the in-process <see cref="PortalAppHost"/> (embedded worker off; it migrates the database and seeds the demo
/// accounts), node B a second web process (<c>dotnet Portal.Web.dll</c>) on the same data directory. A run trained by
/// the worker reaches either node's pages only through the database.
/// </summary>
public sealed class TwoWebNodesFixture : PortalBrowserFixture
{
    private readonly List<PortalProcess> processes = [];

    public TwoWebNodesFixture()
        : base(new PortalAppHost(runsTrainingWorker: false))
    {
    }

    /// <summary>Where the browser finds node B, e.g. <c>http://127.0.0.1:41235/</c>.</summary>
    public Uri NodeBAddress { get; private set; } = null!;

    /// <summary>Everything the node B and worker processes wrote, for the test output of a failed test.</summary>
    public IEnumerable<string> ProcessOutput => processes.SelectMany(p => p.Output);

    public override async Task InitializeAsync()
    {
        // Node A first: by the time it listens, the database is migrated and the demo accounts exist.
        await base.InitializeAsync();
        var (nodeB, address) = await PortalProcess.StartWebNodeAsync("node-b", App.DataDirectory);
        processes.Add(nodeB);
        NodeBAddress = address;
    }

    /// <summary>Starts a standalone worker on the shared database, the only worker there is; killed with the fixture.</summary>
    public async Task<PortalProcess> StartStandaloneWorkerAsync(string workerId)
    {
        var worker = await PortalProcess.StartWorkerAsync(workerId, App.DataDirectory);
        processes.Add(worker);
        return worker;
    }

    public override async Task DisposeAsync()
    {
        // The processes go before node A, whose disposal deletes the data directory they use.
        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
