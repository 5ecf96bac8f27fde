using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseTransfer.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AppendOnlyAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The audit tables are insert-only: the code never updates or deletes them, and the database refuses to.
            // Triggers bind every role, the table owner included; the REVOKE also denies other roles directly.
            migrationBuilder.Sql(@"CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit tables are append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END
$$;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""AuditEntries_append_only"" BEFORE UPDATE OR DELETE OR TRUNCATE ON ""AuditEntries"" FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();");
            migrationBuilder.Sql(@"REVOKE UPDATE, DELETE, TRUNCATE ON ""AuditEntries"" FROM PUBLIC;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""AuditLeaves_append_only"" BEFORE UPDATE OR DELETE OR TRUNCATE ON ""AuditLeaves"" FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();");
            migrationBuilder.Sql(@"REVOKE UPDATE, DELETE, TRUNCATE ON ""AuditLeaves"" FROM PUBLIC;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""AuditTreeNodes_append_only"" BEFORE UPDATE OR DELETE OR TRUNCATE ON ""AuditTreeNodes"" FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();");
            migrationBuilder.Sql(@"REVOKE UPDATE, DELETE, TRUNCATE ON ""AuditTreeNodes"" FROM PUBLIC;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""AuditCheckpoints_append_only"" BEFORE UPDATE OR DELETE OR TRUNCATE ON ""AuditCheckpoints"" FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();");
            migrationBuilder.Sql(@"REVOKE UPDATE, DELETE, TRUNCATE ON ""AuditCheckpoints"" FROM PUBLIC;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"DROP TRIGGER IF EXISTS ""AuditEntries_append_only"" ON ""AuditEntries"";");
            migrationBuilder.Sql(@"DROP TRIGGER IF EXISTS ""AuditLeaves_append_only"" ON ""AuditLeaves"";");
            migrationBuilder.Sql(@"DROP TRIGGER IF EXISTS ""AuditTreeNodes_append_only"" ON ""AuditTreeNodes"";");
            migrationBuilder.Sql(@"DROP TRIGGER IF EXISTS ""AuditCheckpoints_append_only"" ON ""AuditCheckpoints"";");
            migrationBuilder.Sql(@"DROP FUNCTION IF EXISTS audit_append_only();");
        }
    }
}
