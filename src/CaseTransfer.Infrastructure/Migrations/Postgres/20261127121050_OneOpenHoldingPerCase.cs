using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseTransfer.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OneOpenHoldingPerCase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_CaseHoldings_OpenPerCase",
                table: "CaseHoldings",
                column: "CaseId",
                unique: true,
                filter: "\"To\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CaseHoldings_OpenPerCase",
                table: "CaseHoldings");
        }
    }
}
