using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseTransfer.Infrastructure.Migrations.Postgres
{
    /// <summary>
    /// Partial indexes of pending webhook deliveries (by due time, and by case for "an earlier delivery of this case is
    /// still pending"); and, by hand, the outbox trigger's function planned per row: a plan cached while the table was
    /// small was a sequential scan, which made a large insert quadratic.
    /// </summary>
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

            migrationBuilder.Sql(@"ALTER FUNCTION outbox_transaction_id() SET plan_cache_mode = force_custom_plan;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"ALTER FUNCTION outbox_transaction_id() RESET plan_cache_mode;");

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
