using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ExperimentRunStatusIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Runs_ExperimentId_Status",
                table: "Runs",
                columns: new[] { "ExperimentId", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Runs_ExperimentId_Status",
                table: "Runs");
        }
    }
}
