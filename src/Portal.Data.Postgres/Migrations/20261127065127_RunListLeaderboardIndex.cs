using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class RunListLeaderboardIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Runs_Trainer_Status_PrimaryMetricValue",
                table: "Runs",
                columns: new[] { "Trainer", "Status", "PrimaryMetricValue" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Runs_Trainer_Status_PrimaryMetricValue",
                table: "Runs");
        }
    }
}
