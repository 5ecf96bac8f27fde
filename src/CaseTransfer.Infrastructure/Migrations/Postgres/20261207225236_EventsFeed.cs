using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseTransfer.Infrastructure.Migrations.Postgres
{
    /// <summary>
    /// The events feed's order on PostgreSQL, outside the EF model (no other engine has it): each outbox row carries
    /// the id of the transaction that stored it, and the feed reads in (TransactionId, Sequence) order only below the
    /// oldest transaction still running, so a transaction that commits late never lands behind a reader's cursor
    /// (see EventFeed). Events stored before have 0: they all committed before this ran, and keep Sequence order.
    /// </summary>
    public partial class EventsFeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"ALTER TABLE ""OutboxMessages"" ADD ""TransactionId"" xid8 NOT NULL DEFAULT '0';");
            migrationBuilder.Sql(@"ALTER TABLE ""OutboxMessages"" ALTER COLUMN ""TransactionId"" SET DEFAULT pg_current_xact_id();");

            // Set on every insert, whatever the insert says. Never below the transaction's own id (the feed's no-gap
            // argument needs that), and never below the case's latest event this insert can see: a transaction may have
            // taken its id before another that changed the case and committed first, and its event must still follow.
            migrationBuilder.Sql(@"CREATE FUNCTION outbox_transaction_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.""TransactionId"" := pg_current_xact_id();
    IF NEW.""Crn"" IS NOT NULL THEN
        NEW.""TransactionId"" := greatest(NEW.""TransactionId"",
            (SELECT o.""TransactionId"" FROM ""OutboxMessages"" o WHERE o.""Crn"" = NEW.""Crn"" ORDER BY o.""TransactionId"" DESC LIMIT 1));
    END IF;
    RETURN NEW;
END $$;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""OutboxMessages_transaction_id"" BEFORE INSERT ON ""OutboxMessages"" FOR EACH ROW EXECUTE FUNCTION outbox_transaction_id();");
            migrationBuilder.Sql(@"CREATE INDEX ""IX_OutboxMessages_TransactionId_Sequence"" ON ""OutboxMessages"" (""TransactionId"", ""Sequence"");");
            migrationBuilder.Sql(@"CREATE INDEX ""IX_OutboxMessages_Crn_TransactionId"" ON ""OutboxMessages"" (""Crn"", ""TransactionId"");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"DROP TRIGGER ""OutboxMessages_transaction_id"" ON ""OutboxMessages"";");
            migrationBuilder.Sql(@"DROP FUNCTION outbox_transaction_id();");
            migrationBuilder.Sql(@"DROP INDEX ""IX_OutboxMessages_Crn_TransactionId"";");
            migrationBuilder.Sql(@"DROP INDEX ""IX_OutboxMessages_TransactionId_Sequence"";");
            migrationBuilder.Sql(@"ALTER TABLE ""OutboxMessages"" DROP COLUMN ""TransactionId"";");
        }
    }
}
