using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseTransfer.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
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
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ClaimedUntil",
                table: "OutboxMessages",
                type: "datetimeoffset",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
