using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.Data.Live;

/// <summary>
/// Wakes this process's outbox tail the moment a transaction that wrote live events commits here, so in-process
/// events go out at once; events committed by other processes are found by the tail's poll. Registered as an
/// interceptor on the context's options; a wake-up is only a hint, the outbox stays the truth.
/// </summary>
public sealed class LiveEventSignal : DbTransactionInterceptor
{
    private readonly Channel<bool> wakeUps = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private volatile bool pushed;

    public void Wake() => wakeUps.Writer.TryWrite(true);

    /// <summary>
    /// Whether every commit in the cluster wakes this process (PostgreSQL's NOTIFY while its listener is connected):
    /// the tail's poll is then only a safety net and may be slow.
    /// </summary>
    public bool CommitsArePushed
    {
        get => pushed;
        set => pushed = value;
    }

    /// <summary>Waits for a wake-up or the timeout, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await wakeUps.Reader.ReadAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed.
        }
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => WakeIfPublished(eventData);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        WakeIfPublished(eventData);
        return Task.CompletedTask;
    }

    private void WakeIfPublished(TransactionEndEventData eventData)
    {
        if (eventData.Context is PortalDbContext { LiveEventsWritten: true } db)
        {
            db.LiveEventsWritten = false;
            Wake();
        }
    }
}
