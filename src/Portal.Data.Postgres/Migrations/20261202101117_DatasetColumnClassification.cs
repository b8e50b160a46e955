using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class DatasetColumnClassification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ClassifiedBy",
                table: "DatasetColumns",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClassifiedByName",
                table: "DatasetColumns",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ClassifiedUtc",
                table: "DatasetColumns",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Sensitive",
                table: "DatasetColumns",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ClassifiedBy",
                table: "DatasetColumns");

            migrationBuilder.DropColumn(
                name: "ClassifiedByName",
                table: "DatasetColumns");

            migrationBuilder.DropColumn(
                name: "ClassifiedUtc",
                table: "DatasetColumns");

            migrationBuilder.DropColumn(
                name: "Sensitive",
                table: "DatasetColumns");
        }
    }
}
