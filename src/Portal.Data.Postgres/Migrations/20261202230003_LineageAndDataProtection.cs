using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Portal.Data.Postgres.Migrations
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
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ErasureMarkedUtc",
                table: "DatasetVersions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ErasureRequestId",
                table: "DatasetVersions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PurgeReason",
                table: "DatasetVersions",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PurgedBy",
                table: "DatasetVersions",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PurgedUtc",
                table: "DatasetVersions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RetentionExpiredUtc",
                table: "DatasetVersions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "CarriedFromVersion",
                table: "DatasetColumns",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ChangeSincePrevious",
                table: "DatasetColumns",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "LegalBasis",
                table: "DatasetColumns",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Purpose",
                table: "DatasetColumns",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RetentionDays",
                table: "DatasetColumns",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AuditCheckpoints",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    HeadHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    KeyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Algorithm = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Signature = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditCheckpoints", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DatasetSubjectIndexes",
                columns: table => new
                {
                    DatasetVersionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Ordinal = table.Column<int>(type: "integer", nullable: false),
                    ColumnName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    KeyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DistinctValues = table.Column<long>(type: "bigint", nullable: false),
                    RelativePath = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    BuiltUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    KeyColumn = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    KeyHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    DatasetVersionIdsJson = table.Column<string>(type: "text", nullable: false),
                    AffectedModelVersionIdsJson = table.Column<string>(type: "text", nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    RequestedByName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RequestedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ErasureRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ExternalLineageNodes",
                columns: table => new
                {
                    Kind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Namespace = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Name = table.Column<string>(type: "character varying(199)", maxLength: 199, nullable: false),
                    SchemaJson = table.Column<string>(type: "text", nullable: true),
                    LastEventType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    FirstSeenUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSeenUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExternalLineageNodes", x => new { x.Kind, x.Id });
                });

            migrationBuilder.CreateTable(
                name: "LineageEdges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FromKind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    FromId = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    ToKind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    ToId = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Kind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LineageEdges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OpenLineageEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    EventType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    EventTimeUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RunId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    JobNamespace = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    JobName = table.Column<string>(type: "character varying(199)", maxLength: 199, nullable: false),
                    Producer = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    PayloadJson = table.Column<string>(type: "text", nullable: false),
                    ReceivedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReceivedBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false)
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
