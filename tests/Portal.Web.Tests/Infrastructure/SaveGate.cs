using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>
/// Holds the app's database saves while a test says so, as a slow database would: lets a test act while a save is
/// still under way (a second Enter while the first submit is saving) and count how many saves were attempted.
/// </summary>
public sealed class SaveGate : SaveChangesInterceptor
{
    private TaskCompletionSource open = Opened();
    private TaskCompletionSource reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int attempts;

    /// <summary>Saves attempted since the last <see cref="Hold"/>.</summary>
    public int Attempts => Volatile.Read(ref attempts);

    /// <summary>From now on every save waits until <see cref="Release"/>.</summary>
    public void Hold()
    {
        open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref attempts, 0);
    }

    /// <summary>Completes once a save is waiting at the gate.</summary>
    public Task Reached => reached.Task;

    public void Release() => open.TrySetResult();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref attempts);
        reached.TrySetResult();
        await open.Task.WaitAsync(cancellationToken);
        return result;
    }

    private static TaskCompletionSource Opened()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }
}
