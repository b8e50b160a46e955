using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Sqlite.Migrations
{
    /// <summary>
    /// Hyperparameters are stored once, on the run (<c>HyperparametersJson</c>, with <c>ValidationFraction</c> and
    /// <c>Seed</c>): the copies a managed run's submission also wrote as <c>RunParams</c> rows go. RunParams keep what
    /// external runs log (params, tags) and the tags training adds.
    /// </summary>
    public partial class RunParamsOnce : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DELETE FROM "RunParams"
                WHERE "IsTag" = 0 AND "RunId" IN (SELECT "Id" FROM "Runs" WHERE "Mode" = 'Managed');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                INSERT INTO "RunParams" ("RunId", "IsTag", "Key", "Value")
                SELECT r."Id", 0, j.key, CAST(j.value AS TEXT) FROM "Runs" r, json_each(r."HyperparametersJson") j WHERE r."Mode" = 'Managed'
                UNION ALL SELECT "Id", 0, 'validationFraction', CAST("ValidationFraction" AS TEXT) FROM "Runs" WHERE "Mode" = 'Managed'
                UNION ALL SELECT "Id", 0, 'seed', CAST("Seed" AS TEXT) FROM "Runs" WHERE "Mode" = 'Managed';
                """);
        }
    }
}
