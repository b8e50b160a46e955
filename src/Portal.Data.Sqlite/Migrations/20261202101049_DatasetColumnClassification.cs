using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Sqlite.Migrations
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
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClassifiedByName",
                table: "DatasetColumns",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ClassifiedUtc",
                table: "DatasetColumns",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Sensitive",
                table: "DatasetColumns",
                type: "INTEGER",
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
