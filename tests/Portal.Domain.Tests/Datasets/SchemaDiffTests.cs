using Portal.Domain.Datasets;

namespace Portal.Domain.Tests.Datasets;

public sealed class SchemaDiffTests
{
    [Fact]
    public void AddedRemovedAndRetypedColumnsAreListedAndTheChangeIsBreaking()
    {
        ColumnSchema[] before = [new(0, "id", ColumnType.Numeric), new(1, "city", ColumnType.Categorical), new(2, "score", ColumnType.Numeric)];
        ColumnSchema[] after = [new(0, "id", ColumnType.Numeric), new(1, "score", ColumnType.Text), new(2, "joined", ColumnType.Date)];

        var diff = SchemaDiff.Compare(before, after);

        Assert.Equal([new ColumnSchema(2, "joined", ColumnType.Date)], diff.Added);
        Assert.Equal([new ColumnSchema(1, "city", ColumnType.Categorical)], diff.Removed);
        Assert.Equal([new RetypedColumn("score", ColumnType.Numeric, ColumnType.Text)], diff.Retyped);
        Assert.True(diff.IsBreaking);
        Assert.False(diff.IsCompatible);
    }

    [Fact]
    public void OnlyAddingColumnsIsCompatible()
    {
        ColumnSchema[] before = [new(0, "id", ColumnType.Numeric)];
        ColumnSchema[] after = [new(0, "id", ColumnType.Numeric), new(1, "extra", ColumnType.Boolean)];

        var diff = SchemaDiff.Compare(before, after);

        Assert.True(diff.HasChanges);
        Assert.True(diff.IsCompatible);
        Assert.Single(diff.Added);
    }

    [Fact]
    public void RemovingAColumnAloneIsBreaking()
    {
        var diff = SchemaDiff.Compare([new(0, "id", ColumnType.Numeric), new(1, "x", ColumnType.Text)], [new(0, "id", ColumnType.Numeric)]);

        Assert.True(diff.IsBreaking);
        Assert.Empty(diff.Retyped);
    }

    [Fact]
    public void ReorderedColumnsWithDifferentCaseAreNoChange()
    {
        ColumnSchema[] before = [new(0, "Id", ColumnType.Numeric), new(1, "Name", ColumnType.Text)];
        ColumnSchema[] after = [new(0, "name", ColumnType.Text), new(1, "id", ColumnType.Numeric)];

        var diff = SchemaDiff.Compare(before, after);

        Assert.False(diff.HasChanges);
        Assert.True(diff.IsCompatible);
    }
}
