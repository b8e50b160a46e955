using Microsoft.ML;
using Microsoft.ML.Data;

namespace Portal.Ml.Serving;

/// <summary>
/// The valid rows of one request as an in-memory <see cref="IDataView"/>: one typed array per signature column, read by a
/// forward-only cursor. Built per request and never shared, so scoring needs no lock; the model itself is immutable.
/// </summary>
internal sealed class ColumnBuffers : IDataView
{
    private readonly Array[] columns;
    private readonly int rows;

    public ColumnBuffers(DataViewSchema schema, Array[] columns, int rows)
    {
        Schema = schema;
        this.columns = columns;
        this.rows = rows;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(ColumnBuffers owner) : DataViewRowCursor
    {
        private long position = -1;

        public override long Position => position;

        public override long Batch => 0;

        public override DataViewSchema Schema => owner.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override bool MoveNext()
        {
            if (position + 1 < owner.rows)
            {
                position++;
                return true;
            }

            position = owner.rows;
            return false;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = new DataViewRowId((ulong)position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var values = owner.columns[column.Index];
            if (values is VBuffer<float>[] vectors)
            {
                ValueGetter<VBuffer<float>> vector = (ref VBuffer<float> value) => vectors[position].CopyTo(ref value);
                return (ValueGetter<TValue>)(Delegate)vector;
            }

            var typed = (TValue[])values;
            return (ref TValue value) => value = typed[position];
        }
    }
}
