using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.Worker.Tests.Infrastructure;

/// <summary>
/// Runs <paramref name="then"/> when a query whose SQL matches has read all its rows, before the code that issued it
/// goes on: the place to let a concurrent writer in between a worker's read and its save.
/// </summary>
public sealed class AfterQuery(Func<string, bool> matches, Func<Task> then) : DbCommandInterceptor
{
    public override async ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        if (matches(command.CommandText))
        {
            await then();
        }

        return result;
    }

    /// <summary>A query of the Runs table (not an update of it).</summary>
    public static bool ReadsRuns(string sql) => sql.Contains("FROM \"Runs\"", StringComparison.Ordinal) && !sql.Contains("UPDATE", StringComparison.Ordinal);
}

/// <summary>Makes every commit fail, as a lost connection or a full disk would, after the statements ran.</summary>
public sealed class FailingCommit : DbTransactionInterceptor
{
    public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("The commit failed.");
}

/// <summary>Runs <paramref name="then"/> once, after the first commit of a context that <paramref name="matches"/>.</summary>
public sealed class AfterCommit(Func<DbContext, bool> matches, Func<Task> then) : DbTransactionInterceptor
{
    private int _done;

    public override async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db && matches(db) && Interlocked.Exchange(ref _done, 1) == 0)
        {
            await then();
        }
    }
}
