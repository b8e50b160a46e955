using Microsoft.ML;
using Microsoft.ML.Data;

namespace Portal.Ml.Training;

/// <summary>
/// A pass-through view whose cursors throw <see cref="OperationCanceledException"/> once the token is cancelled, so a
/// fit reading it (ML.NET 5 trainers take no cancellation token) stops at its next row instead of running to the end
/// unobserved. Rows, order, ids and shuffling are those of the source view. <paramref name="cursorOpened"/>, when
/// given, is called for every cursor a reader opens (a trainer opens one per pass, which shows how far it got).
/// </summary>
internal sealed class CancellableDataView(IDataView source, CancellationToken token, Action? cursorOpened = null) : IDataView
{
    public bool CanShuffle => source.CanShuffle;

    public DataViewSchema Schema => source.Schema;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        token.ThrowIfCancellationRequested();
        cursorOpened?.Invoke();
        return new Cursor(source.GetRowCursor(columnsNeeded, rand), token);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        token.ThrowIfCancellationRequested();
        cursorOpened?.Invoke();
        return [.. source.GetRowCursorSet(columnsNeeded, n, rand).Select(c => new Cursor(c, token))];
    }

    private sealed class Cursor(DataViewRowCursor inner, CancellationToken token) : DataViewRowCursor
    {
        public override DataViewSchema Schema => inner.Schema;

        public override long Position => inner.Position;

        public override long Batch => inner.Batch;

        public override bool MoveNext()
        {
            token.ThrowIfCancellationRequested();
            return inner.MoveNext();
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => inner.GetGetter<TValue>(column);

        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
