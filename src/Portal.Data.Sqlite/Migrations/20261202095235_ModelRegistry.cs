using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ModelRegistry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RegisteredModels",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    NormalizedName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RiskTier = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    HoldOutDatasetVersionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    HasOverriddenPromotion = table.Column<bool>(type: "INTEGER", nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RegisteredModels", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RegisteredModels_DatasetVersions_HoldOutDatasetVersionId",
                        column: x => x.HoldOutDatasetVersionId,
                        principalTable: "DatasetVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ModelProductionPeriods",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    VersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    VersionNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    FromUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ToUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ApprovedByJson = table.Column<string>(type: "TEXT", nullable: false),
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    EvidenceSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Overridden = table.Column<bool>(type: "INTEGER", nullable: false),
                    ModelId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ModelProductionPeriods", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ModelProductionPeriods_RegisteredModels_ModelId",
                        column: x => x.ModelId,
                        principalTable: "RegisteredModels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ModelVersions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ModelId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RunSubmittedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    DatasetVersionIdsJson = table.Column<string>(type: "TEXT", nullable: false),
                    InputSignatureJson = table.Column<string>(type: "TEXT", nullable: false),
                    MetricsJson = table.Column<string>(type: "TEXT", nullable: false),
                    ModelSha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RegisteredBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RegisteredUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StageChangedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ModelVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ModelVersions_RegisteredModels_ModelId",
                        column: x => x.ModelId,
                        principalTable: "RegisteredModels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ModelVersions_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PromotionRequests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ModelId = table.Column<Guid>(type: "TEXT", nullable: false),
                    VersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    VersionNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    TargetStage = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Justification = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RunSubmittedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RequestedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    EvidenceSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    EvaluatedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RequiredApprovals = table.Column<int>(type: "INTEGER", nullable: false),
                    SignOffRequired = table.Column<bool>(type: "INTEGER", nullable: false),
                    FairnessAcceptedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    FairnessAcceptanceReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    StaleReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    DecidedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RejectionComment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Overridden = table.Column<bool>(type: "INTEGER", nullable: false),
                    OverriddenBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    OverrideReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    OverriddenUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    OverriddenEvidenceSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false),
                    ApprovalsJson = table.Column<string>(type: "TEXT", nullable: false),
                    GatesJson = table.Column<string>(type: "TEXT", nullable: false),
                    SignOffsJson = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PromotionRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PromotionRequests_ModelVersions_VersionId",
                        column: x => x.VersionId,
                        principalTable: "ModelVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PromotionRequests_RegisteredModels_ModelId",
                        column: x => x.ModelId,
                        principalTable: "RegisteredModels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PromotionEvaluationJobs",
                columns: table => new
                {
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    QueuedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    LeaseExpiresUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    Progress = table.Column<double>(type: "REAL", nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    GaveUp = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PromotionEvaluationJobs", x => x.RequestId);
                    table.ForeignKey(
                        name: "FK_PromotionEvaluationJobs_PromotionRequests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "PromotionRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PromotionEvidence",
                columns: table => new
                {
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EvidenceSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PromotionEvidence", x => new { x.RequestId, x.EvidenceSha256 });
                    table.ForeignKey(
                        name: "FK_PromotionEvidence_PromotionRequests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "PromotionRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ModelProductionPeriods_ModelId_FromUtc",
                table: "ModelProductionPeriods",
                columns: new[] { "ModelId", "FromUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ModelVersions_ModelId_Number",
                table: "ModelVersions",
                columns: new[] { "ModelId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ModelVersions_ModelId_RunId",
                table: "ModelVersions",
                columns: new[] { "ModelId", "RunId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ModelVersions_OneChampion",
                table: "ModelVersions",
                column: "ModelId",
                unique: true,
                filter: "\"Stage\" = 'Production'");

            migrationBuilder.CreateIndex(
                name: "IX_ModelVersions_RunId",
                table: "ModelVersions",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_PromotionEvaluationJobs_QueuedUtc",
                table: "PromotionEvaluationJobs",
                column: "QueuedUtc");

            migrationBuilder.CreateIndex(
                name: "IX_PromotionRequests_ModelId_RequestedUtc",
                table: "PromotionRequests",
                columns: new[] { "ModelId", "RequestedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PromotionRequests_RequestedBy_RequestedUtc",
                table: "PromotionRequests",
                columns: new[] { "RequestedBy", "RequestedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PromotionRequests_Status_RequestedUtc",
                table: "PromotionRequests",
                columns: new[] { "Status", "RequestedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PromotionRequests_VersionId",
                table: "PromotionRequests",
                column: "VersionId");

            migrationBuilder.CreateIndex(
                name: "IX_RegisteredModels_CreatedUtc",
                table: "RegisteredModels",
                column: "CreatedUtc");

            migrationBuilder.CreateIndex(
                name: "IX_RegisteredModels_HoldOutDatasetVersionId",
                table: "RegisteredModels",
                column: "HoldOutDatasetVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_RegisteredModels_NormalizedName",
                table: "RegisteredModels",
                column: "NormalizedName",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ModelProductionPeriods");

            migrationBuilder.DropTable(
                name: "PromotionEvaluationJobs");

            migrationBuilder.DropTable(
                name: "PromotionEvidence");

            migrationBuilder.DropTable(
                name: "PromotionRequests");

            migrationBuilder.DropTable(
                name: "ModelVersions");

            migrationBuilder.DropTable(
                name: "RegisteredModels");
        }
    }
}
