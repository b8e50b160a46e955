using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Monitoring : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "MonitoringPolicyJson",
                table: "RegisteredModels",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RetrainingPolicyJson",
                table: "RegisteredModels",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "MonitoringCursors",
                columns: table => new
                {
                    ModelId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    LastReceivedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastBatchId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OpenWindowStartUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    LeaseExpiresUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MonitoringCursors", x => new { x.ModelId, x.Kind });
                    table.ForeignKey(
                        name: "FK_MonitoringCursors_RegisteredModels_ModelId",
                        column: x => x.ModelId,
                        principalTable: "RegisteredModels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MonitoringWindows",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ModelId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ModelVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    VersionNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StartUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Rows = table.Column<long>(type: "INTEGER", nullable: false),
                    ErrorRows = table.Column<long>(type: "INTEGER", nullable: false),
                    LabeledRows = table.Column<long>(type: "INTEGER", nullable: false),
                    Accuracy = table.Column<double>(type: "REAL", nullable: true),
                    MeanAbsoluteError = table.Column<double>(type: "REAL", nullable: true),
                    DriftedFeatures = table.Column<int>(type: "INTEGER", nullable: false),
                    PredictionsJson = table.Column<string>(type: "TEXT", nullable: false),
                    DriftJson = table.Column<string>(type: "TEXT", nullable: false),
                    QualityJson = table.Column<string>(type: "TEXT", nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    ComputedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MonitoringWindows", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MonitoringWindows_ModelVersions_ModelVersionId",
                        column: x => x.ModelVersionId,
                        principalTable: "ModelVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MonitoringWindows_RegisteredModels_ModelId",
                        column: x => x.ModelId,
                        principalTable: "RegisteredModels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MonitoringAlerts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ModelId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ModelVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    VersionNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    Rule = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Feature = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    WindowId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LastWindowId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RaisedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastSeenUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Occurrences = table.Column<int>(type: "INTEGER", nullable: false),
                    AcknowledgedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    AcknowledgedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AcknowledgeComment = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ResolvedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ResolvedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ResolveComment = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MonitoringAlerts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MonitoringAlerts_ModelVersions_ModelVersionId",
                        column: x => x.ModelVersionId,
                        principalTable: "ModelVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MonitoringAlerts_MonitoringWindows_WindowId",
                        column: x => x.WindowId,
                        principalTable: "MonitoringWindows",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MonitoringAlerts_RegisteredModels_ModelId",
                        column: x => x.ModelId,
                        principalTable: "RegisteredModels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringAlerts_ModelId_Rule_Feature_Status",
                table: "MonitoringAlerts",
                columns: new[] { "ModelId", "Rule", "Feature", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringAlerts_ModelVersionId",
                table: "MonitoringAlerts",
                column: "ModelVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringAlerts_Status_RaisedUtc",
                table: "MonitoringAlerts",
                columns: new[] { "Status", "RaisedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringAlerts_WindowId",
                table: "MonitoringAlerts",
                column: "WindowId");

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringWindows_ModelId_Kind_EndUtc",
                table: "MonitoringWindows",
                columns: new[] { "ModelId", "Kind", "EndUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringWindows_ModelVersionId",
                table: "MonitoringWindows",
                column: "ModelVersionId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MonitoringAlerts");

            migrationBuilder.DropTable(
                name: "MonitoringCursors");

            migrationBuilder.DropTable(
                name: "MonitoringWindows");

            migrationBuilder.DropColumn(
                name: "MonitoringPolicyJson",
                table: "RegisteredModels");

            migrationBuilder.DropColumn(
                name: "RetrainingPolicyJson",
                table: "RegisteredModels");
        }
    }
}
