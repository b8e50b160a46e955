using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LineageAndDataProtection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ErasureRequestId",
                table: "Retrainings",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ErasureMarkedUtc",
                table: "DatasetVersions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ErasureRequestId",
                table: "DatasetVersions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PurgeReason",
                table: "DatasetVersions",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PurgedBy",
                table: "DatasetVersions",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PurgedUtc",
                table: "DatasetVersions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RetentionExpiredUtc",
                table: "DatasetVersions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "CarriedFromVersion",
                table: "DatasetColumns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ChangeSincePrevious",
                table: "DatasetColumns",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "LegalBasis",
                table: "DatasetColumns",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Purpose",
                table: "DatasetColumns",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RetentionDays",
                table: "DatasetColumns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AuditCheckpoints",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    HeadHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    KeyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Algorithm = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Signature = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditCheckpoints", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DatasetSubjectIndexes",
                columns: table => new
                {
                    DatasetVersionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Ordinal = table.Column<int>(type: "INTEGER", nullable: false),
                    ColumnName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    KeyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DistinctValues = table.Column<long>(type: "INTEGER", nullable: false),
                    RelativePath = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    BuiltUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DatasetSubjectIndexes", x => new { x.DatasetVersionId, x.Ordinal });
                    table.ForeignKey(
                        name: "FK_DatasetSubjectIndexes_DatasetVersions_DatasetVersionId",
                        column: x => x.DatasetVersionId,
                        principalTable: "DatasetVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ErasureRequests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    KeyColumn = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    KeyHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    DatasetVersionIdsJson = table.Column<string>(type: "TEXT", nullable: false),
                    AffectedModelVersionIdsJson = table.Column<string>(type: "TEXT", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RequestedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RequestedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ErasureRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ExternalLineageNodes",
                columns: table => new
                {
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Id = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Namespace = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 199, nullable: false),
                    SchemaJson = table.Column<string>(type: "TEXT", nullable: true),
                    LastEventType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    FirstSeenUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastSeenUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExternalLineageNodes", x => new { x.Kind, x.Id });
                });

            migrationBuilder.CreateTable(
                name: "LineageEdges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FromKind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    FromId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    ToKind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    ToId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LineageEdges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OpenLineageEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EventType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    EventTimeUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RunId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    JobNamespace = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    JobName = table.Column<string>(type: "TEXT", maxLength: 199, nullable: false),
                    Producer = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    PayloadJson = table.Column<string>(type: "TEXT", nullable: false),
                    ReceivedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReceivedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OpenLineageEvents", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Retrainings_ErasureRequestId",
                table: "Retrainings",
                column: "ErasureRequestId");

            migrationBuilder.CreateIndex(
                name: "IX_DatasetVersions_ErasureRequestId",
                table: "DatasetVersions",
                column: "ErasureRequestId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditCheckpoints_Sequence",
                table: "AuditCheckpoints",
                column: "Sequence");

            migrationBuilder.CreateIndex(
                name: "IX_DatasetSubjectIndexes_ColumnName",
                table: "DatasetSubjectIndexes",
                column: "ColumnName");

            migrationBuilder.CreateIndex(
                name: "IX_ErasureRequests_RequestedUtc",
                table: "ErasureRequests",
                column: "RequestedUtc");

            migrationBuilder.CreateIndex(
                name: "IX_LineageEdges_FromKind_FromId_ToKind_ToId_Kind",
                table: "LineageEdges",
                columns: new[] { "FromKind", "FromId", "ToKind", "ToId", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LineageEdges_ToKind_ToId",
                table: "LineageEdges",
                columns: new[] { "ToKind", "ToId" });

            migrationBuilder.CreateIndex(
                name: "IX_OpenLineageEvents_JobNamespace_JobName",
                table: "OpenLineageEvents",
                columns: new[] { "JobNamespace", "JobName" });

            migrationBuilder.CreateIndex(
                name: "IX_OpenLineageEvents_RunId",
                table: "OpenLineageEvents",
                column: "RunId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditCheckpoints");

            migrationBuilder.DropTable(
                name: "DatasetSubjectIndexes");

            migrationBuilder.DropTable(
                name: "ErasureRequests");

            migrationBuilder.DropTable(
                name: "ExternalLineageNodes");

            migrationBuilder.DropTable(
                name: "LineageEdges");

            migrationBuilder.DropTable(
                name: "OpenLineageEvents");

            migrationBuilder.DropIndex(
                name: "IX_Retrainings_ErasureRequestId",
                table: "Retrainings");

            migrationBuilder.DropIndex(
                name: "IX_DatasetVersions_ErasureRequestId",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "ErasureRequestId",
                table: "Retrainings");

            migrationBuilder.DropColumn(
                name: "ErasureMarkedUtc",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "ErasureRequestId",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "PurgeReason",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "PurgedBy",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "PurgedUtc",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "RetentionExpiredUtc",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "CarriedFromVersion",
                table: "DatasetColumns");

            migrationBuilder.DropColumn(
                name: "ChangeSincePrevious",
                table: "DatasetColumns");

            migrationBuilder.DropColumn(
                name: "LegalBasis",
                table: "DatasetColumns");

            migrationBuilder.DropColumn(
                name: "Purpose",
                table: "DatasetColumns");

            migrationBuilder.DropColumn(
                name: "RetentionDays",
                table: "DatasetColumns");
        }
    }
}
