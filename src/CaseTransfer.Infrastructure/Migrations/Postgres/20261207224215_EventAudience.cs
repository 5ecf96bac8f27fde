using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseTransfer.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EventAudience : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Audience",
                table: "OutboxMessages",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            // Events stored before their audience was: the organisation holding the case now hears of them (an event
            // about no case stays open to everyone).
            migrationBuilder.Sql("""
                UPDATE "OutboxMessages" SET "Audience" = '|' || (SELECT "HolderOrganisationCode" FROM "Cases" WHERE "Cases"."Crn" = "OutboxMessages"."Crn") || '|' WHERE "Crn" IS NOT NULL
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Audience",
                table: "OutboxMessages");
        }
    }
}
