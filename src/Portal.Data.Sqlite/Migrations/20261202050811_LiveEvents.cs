using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LiveEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Runs_FinishedUtc",
                table: "Runs");

            migrationBuilder.CreateTable(
                name: "LiveEvents",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Topic = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LiveEvents", x => x.Sequence);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LiveEvents_CreatedUtc",
                table: "LiveEvents",
                column: "CreatedUtc");

            migrationBuilder.CreateIndex(
                name: "IX_LiveEvents_Topic_Sequence",
                table: "LiveEvents",
                columns: new[] { "Topic", "Sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LiveEvents");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_FinishedUtc",
                table: "Runs",
                column: "FinishedUtc");
        }
    }
}
