using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PartialRolloutIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PredictionFeedback_RolloutId_PredictedUtc",
                table: "PredictionFeedback");

            migrationBuilder.DropIndex(
                name: "IX_PredictionBatches_RolloutId_ReceivedUtc",
                table: "PredictionBatches");

            migrationBuilder.CreateIndex(
                name: "IX_PredictionFeedback_RolloutId_PredictedUtc",
                table: "PredictionFeedback",
                columns: new[] { "RolloutId", "PredictedUtc" },
                filter: "\"RolloutId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_PredictionBatches_RolloutId_ReceivedUtc",
                table: "PredictionBatches",
                columns: new[] { "RolloutId", "ReceivedUtc" },
                filter: "\"RolloutId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PredictionFeedback_RolloutId_PredictedUtc",
                table: "PredictionFeedback");

            migrationBuilder.DropIndex(
                name: "IX_PredictionBatches_RolloutId_ReceivedUtc",
                table: "PredictionBatches");

            migrationBuilder.CreateIndex(
                name: "IX_PredictionFeedback_RolloutId_PredictedUtc",
                table: "PredictionFeedback",
                columns: new[] { "RolloutId", "PredictedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PredictionBatches_RolloutId_ReceivedUtc",
                table: "PredictionBatches",
                columns: new[] { "RolloutId", "ReceivedUtc" });
        }
    }
}
