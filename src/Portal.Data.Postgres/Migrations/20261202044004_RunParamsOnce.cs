using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Postgres.Migrations
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
                WHERE NOT "IsTag" AND "RunId" IN (SELECT "Id" FROM "Runs" WHERE "Mode" = 'Managed');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                INSERT INTO "RunParams" ("RunId", "IsTag", "Key", "Value")
                SELECT r."Id", FALSE, j.key, j.value FROM "Runs" r, jsonb_each_text(r."HyperparametersJson"::jsonb) j WHERE r."Mode" = 'Managed'
                UNION ALL SELECT "Id", FALSE, 'validationFraction', "ValidationFraction"::text FROM "Runs" WHERE "Mode" = 'Managed'
                UNION ALL SELECT "Id", FALSE, 'seed', "Seed"::text FROM "Runs" WHERE "Mode" = 'Managed';
                """);
        }
    }
}
