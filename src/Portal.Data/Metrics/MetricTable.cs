using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Domain.Runs;

namespace Portal.Data.Metrics;

/// <summary>
/// The <c>RunMetrics</c> table as the EF model maps it: the <c>INSERT INTO table (RunId, Key, Value, Step,
/// TimestampUtc) </c> prefix, quoted by the provider, and each column's type mapping (in that order), so the run id binds
/// as its Guid (the mapping applies the id's converter) in SQLite's upper-case TEXT or PostgreSQL's uuid, and a DateTime
/// as each provider stores it.
/// </summary>
public sealed record MetricTable(string InsertPrefix, IReadOnlyList<RelationalTypeMapping> Mappings)
{
    public static MetricTable Of(PortalDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(RunMetric))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        IProperty[] columns =
        [
            entity.FindProperty(nameof(RunMetric.RunId))!,
            entity.FindProperty(nameof(RunMetric.Key))!,
            entity.FindProperty(nameof(RunMetric.Value))!,
            entity.FindProperty(nameof(RunMetric.Step))!,
            entity.FindProperty(nameof(RunMetric.TimestampUtc))!,
        ];
        var prefix = new StringBuilder("INSERT INTO ").Append(sql.DelimitIdentifier(table.Name, table.Schema)).Append(" (")
            .AppendJoin(", ", columns.Select(c => sql.DelimitIdentifier(c.GetColumnName(table)!))).Append(") ").ToString();
        return new MetricTable(prefix, [.. columns.Select(c => c.GetRelationalTypeMapping())]);
    }
}
