using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseTransfer.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AppendOnlyAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The audit tables are insert-only: the code never updates or deletes them, and the database refuses to.
            // CREATE TRIGGER must begin a batch; EXEC gives it one inside the idempotent script's IF blocks.
            // DENY binds the application login (not the owner); the trigger binds everyone but someone who drops it.
            migrationBuilder.Sql(@"EXEC(N'CREATE TRIGGER [AuditEntries_append_only] ON [AuditEntries] INSTEAD OF UPDATE, DELETE AS BEGIN THROW 51000, ''audit tables are append-only: change to AuditEntries refused'', 1; END;');");
            migrationBuilder.Sql(@"DENY UPDATE, DELETE ON [AuditEntries] TO [public];");
            migrationBuilder.Sql(@"EXEC(N'CREATE TRIGGER [AuditLeaves_append_only] ON [AuditLeaves] INSTEAD OF UPDATE, DELETE AS BEGIN THROW 51000, ''audit tables are append-only: change to AuditLeaves refused'', 1; END;');");
            migrationBuilder.Sql(@"DENY UPDATE, DELETE ON [AuditLeaves] TO [public];");
            migrationBuilder.Sql(@"EXEC(N'CREATE TRIGGER [AuditTreeNodes_append_only] ON [AuditTreeNodes] INSTEAD OF UPDATE, DELETE AS BEGIN THROW 51000, ''audit tables are append-only: change to AuditTreeNodes refused'', 1; END;');");
            migrationBuilder.Sql(@"DENY UPDATE, DELETE ON [AuditTreeNodes] TO [public];");
            migrationBuilder.Sql(@"EXEC(N'CREATE TRIGGER [AuditCheckpoints_append_only] ON [AuditCheckpoints] INSTEAD OF UPDATE, DELETE AS BEGIN THROW 51000, ''audit tables are append-only: change to AuditCheckpoints refused'', 1; END;');");
            migrationBuilder.Sql(@"DENY UPDATE, DELETE ON [AuditCheckpoints] TO [public];");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"REVOKE UPDATE, DELETE ON [AuditEntries] TO [public];");
            migrationBuilder.Sql(@"DROP TRIGGER IF EXISTS [AuditEntries_append_only];");
            migrationBuilder.Sql(@"REVOKE UPDATE, DELETE ON [AuditLeaves] TO [public];");
            migrationBuilder.Sql(@"DROP TRIGGER IF EXISTS [AuditLeaves_append_only];");
            migrationBuilder.Sql(@"REVOKE UPDATE, DELETE ON [AuditTreeNodes] TO [public];");
            migrationBuilder.Sql(@"DROP TRIGGER IF EXISTS [AuditTreeNodes_append_only];");
            migrationBuilder.Sql(@"REVOKE UPDATE, DELETE ON [AuditCheckpoints] TO [public];");
            migrationBuilder.Sql(@"DROP TRIGGER IF EXISTS [AuditCheckpoints_append_only];");
        }
    }
}
