using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseTransfer.Infrastructure.Migrations.Postgres
{
    /// <summary>
    /// The broker publisher's columns; and, by hand, its index on PostgreSQL: the unpublished events in the feed's order
    /// (TransactionId, outside the EF model, see EventsFeed), so a claim reads only what is still to publish, however
    /// many events were published before.
    /// </summary>
    public partial class BrokerPublishing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "DispatchedAt",
                table: "OutboxMessages",
                newName: "PublishedAt");

            migrationBuilder.RenameIndex(
                name: "IX_OutboxMessages_DispatchedAt_Sequence",
                table: "OutboxMessages",
                newName: "IX_OutboxMessages_PublishedAt_Sequence");

            migrationBuilder.AddColumn<string>(
                name: "ClaimedBy",
                table: "OutboxMessages",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ClaimedUntil",
                table: "OutboxMessages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.Sql(@"CREATE INDEX ""IX_OutboxMessages_Unpublished"" ON ""OutboxMessages"" (""TransactionId"", ""Sequence"") WHERE ""PublishedAt"" IS NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"DROP INDEX ""IX_OutboxMessages_Unpublished"";");

            migrationBuilder.DropColumn(
                name: "ClaimedBy",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "ClaimedUntil",
                table: "OutboxMessages");

            migrationBuilder.RenameColumn(
                name: "PublishedAt",
                table: "OutboxMessages",
                newName: "DispatchedAt");

            migrationBuilder.RenameIndex(
                name: "IX_OutboxMessages_PublishedAt_Sequence",
                table: "OutboxMessages",
                newName: "IX_OutboxMessages_DispatchedAt_Sequence");
        }
    }
}
