using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ExperimentNamesIgnoreCase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "NormalizedName",
                table: "Experiments",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            // Backfill: the database's upper() of the trimmed name (what TextRule.NormalizedName computes for the names
            // people type; SQLite's upper() folds ASCII letters only). Names that differed only in case before this
            // migration all stay, reachable by their exact name: every one after the first created keeps its id as a
            // suffix of its key, so the unique index can be built; no new duplicate can be added.
            migrationBuilder.Sql("""UPDATE "Experiments" SET "NormalizedName" = upper(trim("Name"));""");
            migrationBuilder.Sql("""
                UPDATE "Experiments" SET "NormalizedName" = "NormalizedName" || ' #' || "Id"
                WHERE EXISTS (SELECT 1 FROM "Experiments" AS earlier
                              WHERE earlier."NormalizedName" = "Experiments"."NormalizedName"
                                AND (earlier."CreatedUtc" < "Experiments"."CreatedUtc"
                                     OR (earlier."CreatedUtc" = "Experiments"."CreatedUtc" AND earlier."Id" < "Experiments"."Id")));
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Experiments_NormalizedName",
                table: "Experiments",
                column: "NormalizedName",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Experiments_NormalizedName",
                table: "Experiments");

            migrationBuilder.DropColumn(
                name: "NormalizedName",
                table: "Experiments");
        }
    }
}
