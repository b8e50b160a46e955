using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Serving : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RolloutPolicyJson",
                table: "RegisteredModels",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PredictionBatches",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ModelId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ModelVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    VersionNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    RolloutId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Arm = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ReceivedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RowCount = table.Column<int>(type: "INTEGER", nullable: false),
                    ErrorCount = table.Column<int>(type: "INTEGER", nullable: false),
                    DurationMicroseconds = table.Column<long>(type: "INTEGER", nullable: false),
                    InputsJson = table.Column<string>(type: "TEXT", nullable: false),
                    OutputsJson = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PredictionBatches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PredictionBatches_ModelVersions_ModelVersionId",
                        column: x => x.ModelVersionId,
                        principalTable: "ModelVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PredictionBatches_RegisteredModels_ModelId",
                        column: x => x.ModelId,
                        principalTable: "RegisteredModels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Rollouts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ModelId = table.Column<Guid>(type: "TEXT", nullable: false),
                    BaselineVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    BaselineVersionNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    CanaryVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CanaryVersionNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    TransitionJson = table.Column<string>(type: "TEXT", nullable: false),
                    PolicyJson = table.Column<string>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StepIndex = table.Column<int>(type: "INTEGER", nullable: false),
                    CanaryPercent = table.Column<int>(type: "INTEGER", nullable: false),
                    StartedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StepStartedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    LeaseExpiresUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false),
                    VerdictsJson = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Rollouts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Rollouts_ModelVersions_BaselineVersionId",
                        column: x => x.BaselineVersionId,
                        principalTable: "ModelVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Rollouts_ModelVersions_CanaryVersionId",
                        column: x => x.CanaryVersionId,
                        principalTable: "ModelVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Rollouts_RegisteredModels_ModelId",
                        column: x => x.ModelId,
                        principalTable: "RegisteredModels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PredictionFeedback",
                columns: table => new
                {
                    PredictionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    BatchId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ModelId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ModelVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RolloutId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Arm = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PredictedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReceivedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ActualLabel = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Correct = table.Column<bool>(type: "INTEGER", nullable: true),
                    AbsoluteError = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PredictionFeedback", x => x.PredictionId);
                    table.ForeignKey(
                        name: "FK_PredictionFeedback_PredictionBatches_BatchId",
                        column: x => x.BatchId,
                        principalTable: "PredictionBatches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PredictionBatches_ModelId_ReceivedUtc",
                table: "PredictionBatches",
                columns: new[] { "ModelId", "ReceivedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PredictionBatches_ModelVersionId",
                table: "PredictionBatches",
                column: "ModelVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_PredictionBatches_RolloutId_ReceivedUtc",
                table: "PredictionBatches",
                columns: new[] { "RolloutId", "ReceivedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PredictionFeedback_BatchId",
                table: "PredictionFeedback",
                column: "BatchId");

            migrationBuilder.CreateIndex(
                name: "IX_PredictionFeedback_ModelId_PredictedUtc",
                table: "PredictionFeedback",
                columns: new[] { "ModelId", "PredictedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PredictionFeedback_RolloutId_PredictedUtc",
                table: "PredictionFeedback",
                columns: new[] { "RolloutId", "PredictedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Rollouts_BaselineVersionId",
                table: "Rollouts",
                column: "BaselineVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_Rollouts_CanaryVersionId",
                table: "Rollouts",
                column: "CanaryVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_Rollouts_ModelId_StartedUtc",
                table: "Rollouts",
                columns: new[] { "ModelId", "StartedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Rollouts_State",
                table: "Rollouts",
                column: "State");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PredictionFeedback");

            migrationBuilder.DropTable(
                name: "Rollouts");

            migrationBuilder.DropTable(
                name: "PredictionBatches");

            migrationBuilder.DropColumn(
                name: "RolloutPolicyJson",
                table: "RegisteredModels");
        }
    }
}
