using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Domain.Serving;

namespace Portal.Data.Serving;

/// <summary>
/// The <c>PredictionBatches</c> table as the EF model maps it: its name and column list quoted by the provider, in the
/// order of <see cref="PredictionLogRow"/>'s members, and each column's type mapping (the writers take the arm's stored
/// text from its converter, so it stays what EF writes and compares).
/// </summary>
public sealed record PredictionLogTable(string Table, string Columns, IReadOnlyList<RelationalTypeMapping> Mappings)
{
    public static PredictionLogTable Of(PortalDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var entity = db.Model.FindEntityType(typeof(PredictionBatch))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        IProperty[] columns =
        [
            entity.FindProperty(nameof(PredictionBatch.Id))!,
            entity.FindProperty(nameof(PredictionBatch.ModelId))!,
            entity.FindProperty(nameof(PredictionBatch.ModelVersionId))!,
            entity.FindProperty(nameof(PredictionBatch.VersionNumber))!,
            entity.FindProperty(nameof(PredictionBatch.RolloutId))!,
            entity.FindProperty(nameof(PredictionBatch.Arm))!,
            entity.FindProperty(nameof(PredictionBatch.ReceivedUtc))!,
            entity.FindProperty(nameof(PredictionBatch.RowCount))!,
            entity.FindProperty(nameof(PredictionBatch.ErrorCount))!,
            entity.FindProperty(nameof(PredictionBatch.DurationMicroseconds))!,
            entity.FindProperty(nameof(PredictionBatch.InputsJson))!,
            entity.FindProperty(nameof(PredictionBatch.OutputsJson))!,
        ];
        var list = new StringBuilder().AppendJoin(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName(table)!))).ToString();
        return new PredictionLogTable(sql.DelimitIdentifier(table.Name, table.Schema), list, [.. columns.Select(c => c.GetRelationalTypeMapping())]);
    }

    /// <summary>A column's value as the provider stores it (the mapping's converter applied), boxed for a parameter.</summary>
    public object? ProviderValue(int column, object? value) =>
        value is null ? null : Mappings[column].Converter?.ConvertToProvider(value) ?? value;
}
