using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class RolloutRollbackAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<Guid>(
                name: "WindowId",
                table: "MonitoringAlerts",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AlterColumn<Guid>(
                name: "LastWindowId",
                table: "MonitoringAlerts",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<Guid>(
                name: "RolloutId",
                table: "MonitoringAlerts",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringAlerts_RolloutId",
                table: "MonitoringAlerts",
                column: "RolloutId");

            migrationBuilder.AddForeignKey(
                name: "FK_MonitoringAlerts_Rollouts_RolloutId",
                table: "MonitoringAlerts",
                column: "RolloutId",
                principalTable: "Rollouts",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_MonitoringAlerts_Rollouts_RolloutId",
                table: "MonitoringAlerts");

            migrationBuilder.DropIndex(
                name: "IX_MonitoringAlerts_RolloutId",
                table: "MonitoringAlerts");

            migrationBuilder.DropColumn(
                name: "RolloutId",
                table: "MonitoringAlerts");

            migrationBuilder.AlterColumn<Guid>(
                name: "WindowId",
                table: "MonitoringAlerts",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "LastWindowId",
                table: "MonitoringAlerts",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);
        }
    }
}
