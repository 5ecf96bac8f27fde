using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseTransfer.Infrastructure.Migrations.Postgres
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
                filter: "\"State\" = 'Pending'");

            // The outbox trigger's look-up of the case's latest event, planned afresh on each row: a plan cached while
            // the table was small (a sequential scan) was kept as one transaction inserted thousands of rows, so each
            // row scanned all those before it (10,000 events in one insert: 28 s instead of 1.8 s).
            migrationBuilder.Sql(@"ALTER FUNCTION outbox_transaction_id() SET plan_cache_mode = force_custom_plan;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"ALTER FUNCTION outbox_transaction_id() RESET plan_cache_mode;");

            migrationBuilder.DropIndex(
                name: "IX_WebhookDeliveries_PendingDue",
                table: "WebhookDeliveries");
        }
    }
}
