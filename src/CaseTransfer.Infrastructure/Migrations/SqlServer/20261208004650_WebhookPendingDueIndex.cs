using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseTransfer.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class WebhookPendingDueIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_PendingDue",
                table: "WebhookDeliveries",
                columns: new[] { "SubscriptionId", "NextAttemptAt", "OutboxSequence" },
                filter: "[State] = N'Pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WebhookDeliveries_PendingDue",
                table: "WebhookDeliveries");
        }
    }
}
