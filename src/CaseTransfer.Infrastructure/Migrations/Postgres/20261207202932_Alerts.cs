using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseTransfer.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Alerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "StartedOn",
                table: "Requirement",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalationRequiredOf",
                table: "Cases",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "EscalationRequiredSince",
                table: "Cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastAuditedWriteAt",
                table: "Cases",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            // A case written before this migration was last written when it was last updated, as far as anyone can
            // tell without reading the audit log: otherwise every existing case would be quiet at once.
            migrationBuilder.Sql("UPDATE \"Cases\" SET \"LastAuditedWriteAt\" = \"UpdatedAt\";");

            migrationBuilder.CreateTable(
                name: "AlertLeases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Holder = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    IncrementalMark = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastFullPassAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertLeases", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "Alerts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    Crn = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    SubjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Audience = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Why = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Deadline = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RaisedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    State = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    AcknowledgedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    AcknowledgedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ResolvedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ResolvedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClearedBySystem = table.Column<bool>(type: "boolean", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Alerts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Alerts_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "AlertLeases",
                columns: new[] { "Name", "ExpiresAt", "Holder", "IncrementalMark", "LastFullPassAt" },
                values: new object[] { "alerts", null, null, null, null });

            migrationBuilder.CreateIndex(
                name: "IX_Requirement_StartedOn_StartDate",
                table: "Requirement",
                columns: new[] { "StartedOn", "StartDate" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_EscalationRequiredSince",
                table: "Cases",
                column: "EscalationRequiredSince");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_LastAuditedWriteAt",
                table: "Cases",
                column: "LastAuditedWriteAt");

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_CaseId",
                table: "Alerts",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_Kind_SubjectId_OrganisationCode_Audience_Since",
                table: "Alerts",
                columns: new[] { "Kind", "SubjectId", "OrganisationCode", "Audience", "Since" });

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_OpenPerCondition",
                table: "Alerts",
                columns: new[] { "Kind", "SubjectId", "OrganisationCode", "Audience" },
                unique: true,
                filter: "\"ResolvedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_OrganisationCode_Id",
                table: "Alerts",
                columns: new[] { "OrganisationCode", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AlertLeases");

            migrationBuilder.DropTable(
                name: "Alerts");

            migrationBuilder.DropIndex(
                name: "IX_Requirement_StartedOn_StartDate",
                table: "Requirement");

            migrationBuilder.DropIndex(
                name: "IX_Cases_EscalationRequiredSince",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_LastAuditedWriteAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "StartedOn",
                table: "Requirement");

            migrationBuilder.DropColumn(
                name: "EscalationRequiredOf",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "EscalationRequiredSince",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "LastAuditedWriteAt",
                table: "Cases");
        }
    }
}
