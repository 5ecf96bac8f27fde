using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseTransfer.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AppendOnlyAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The audit tables are insert-only: the code never updates or deletes them, and the database refuses to.
            migrationBuilder.Sql(@"CREATE TRIGGER ""AuditEntries_no_update"" BEFORE UPDATE ON ""AuditEntries"" BEGIN SELECT RAISE(ABORT, 'audit tables are append-only: update of AuditEntries refused'); END;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""AuditEntries_no_delete"" BEFORE DELETE ON ""AuditEntries"" BEGIN SELECT RAISE(ABORT, 'audit tables are append-only: delete from AuditEntries refused'); END;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""AuditLeaves_no_update"" BEFORE UPDATE ON ""AuditLeaves"" BEGIN SELECT RAISE(ABORT, 'audit tables are append-only: update of AuditLeaves refused'); END;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""AuditLeaves_no_delete"" BEFORE DELETE ON ""AuditLeaves"" BEGIN SELECT RAISE(ABORT, 'audit tables are append-only: delete from AuditLeaves refused'); END;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""AuditTreeNodes_no_update"" BEFORE UPDATE ON ""AuditTreeNodes"" BEGIN SELECT RAISE(ABORT, 'audit tables are append-only: update of AuditTreeNodes refused'); END;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""AuditTreeNodes_no_delete"" BEFORE DELETE ON ""AuditTreeNodes"" BEGIN SELECT RAISE(ABORT, 'audit tables are append-only: delete from AuditTreeNodes refused'); END;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""AuditCheckpoints_no_update"" BEFORE UPDATE ON ""AuditCheckpoints"" BEGIN SELECT RAISE(ABORT, 'audit tables are append-only: update of AuditCheckpoints refused'); END;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""AuditCheckpoints_no_delete"" BEFORE DELETE ON ""AuditCheckpoints"" BEGIN SELECT RAISE(ABORT, 'audit tables are append-only: delete from AuditCheckpoints refused'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"DROP TRIGGER IF EXISTS ""AuditEntries_no_update"";");
            migrationBuilder.Sql(@"DROP TRIGGER IF EXISTS ""AuditEntries_no_delete"";");
            migrationBuilder.Sql(@"DROP TRIGGER IF EXISTS ""AuditLeaves_no_update"";");
            migrationBuilder.Sql(@"DROP TRIGGER IF EXISTS ""AuditLeaves_no_delete"";");
            migrationBuilder.Sql(@"DROP TRIGGER IF EXISTS ""AuditTreeNodes_no_update"";");
            migrationBuilder.Sql(@"DROP TRIGGER IF EXISTS ""AuditTreeNodes_no_delete"";");
            migrationBuilder.Sql(@"DROP TRIGGER IF EXISTS ""AuditCheckpoints_no_update"";");
            migrationBuilder.Sql(@"DROP TRIGGER IF EXISTS ""AuditCheckpoints_no_delete"";");
        }
    }
}
