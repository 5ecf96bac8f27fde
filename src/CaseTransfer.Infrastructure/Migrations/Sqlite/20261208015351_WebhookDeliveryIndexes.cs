using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseTransfer.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WebhookDeliveryIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WebhookDeliveries_SubscriptionId_Crn_State_OutboxSequence",
                table: "WebhookDeliveries");

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_PendingCase",
                table: "WebhookDeliveries",
                columns: new[] { "SubscriptionId", "Crn", "OutboxSequence" },
                filter: "\"State\" = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_PendingDue",
                table: "WebhookDeliveries",
                columns: new[] { "SubscriptionId", "NextAttemptAt", "OutboxSequence" },
                filter: "\"State\" = 'Pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WebhookDeliveries_PendingCase",
                table: "WebhookDeliveries");

            migrationBuilder.DropIndex(
                name: "IX_WebhookDeliveries_PendingDue",
                table: "WebhookDeliveries");

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_SubscriptionId_Crn_State_OutboxSequence",
                table: "WebhookDeliveries",
                columns: new[] { "SubscriptionId", "Crn", "State", "OutboxSequence" });
        }
    }
}
