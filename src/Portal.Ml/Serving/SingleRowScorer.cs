using Microsoft.ML;
using Microsoft.ML.Data;

namespace Portal.Ml.Serving;

/// <summary>
/// One row at a time through the model's row-to-row mapper, built once: what ML.NET's PredictionEngine does, without its
/// static input type. Writing a row's values into <see cref="Buffers"/> and advancing the input's position makes the
/// mapper's getters compute that row. Not thread-safe: the engine keeps a pool and lends each one to one request.
/// </summary>
internal sealed class SingleRowScorer
{
    private readonly InputRow input;
    private readonly Func<RowPrediction> read;

    public SingleRowScorer(ITransformer model, DataViewSchema inputSchema, Array[] buffers, Func<DataViewSchema, IEnumerable<DataViewSchema.Column>> wanted,
        Func<DataViewRow, Func<RowPrediction>> reader)
    {
        input = new InputRow(inputSchema, buffers);
        var mapper = model.GetRowToRowMapper(inputSchema);
        read = reader(mapper.GetRow(input, wanted(mapper.OutputSchema)));
    }

    public Array[] Buffers => input.Buffers;

    public RowPrediction Score()
    {
        input.Advance();
        return read();
    }

    private sealed class InputRow(DataViewSchema schema, Array[] buffers) : DataViewRow
    {
        private long position = -1;

        public Array[] Buffers { get; } = buffers;

        public override long Position => position;

        public override long Batch => 0;

        public override DataViewSchema Schema { get; } = schema;

        public void Advance() => position++;

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = new DataViewRowId((ulong)position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var values = Buffers[column.Index];
            if (values is VBuffer<float>[] vectors)
            {
                ValueGetter<VBuffer<float>> vector = (ref VBuffer<float> value) => vectors[0].CopyTo(ref value);
                return (ValueGetter<TValue>)(Delegate)vector;
            }

            var typed = (TValue[])values;
            return (ref TValue value) => value = typed[0];
        }
    }
}
