using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseTransfer.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Escalations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CaseAccessGrants",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    From = table.Column<long>(type: "INTEGER", nullable: false),
                    Until = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    GrantedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseAccessGrants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CaseAccessGrants_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Escalations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Crn = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    AreaCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ProviderCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    NpsRegionCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ReasonText = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Urgency = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    RiskAssessmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TriggeringEvents = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    DocumentReferences = table.Column<string>(type: "TEXT", maxLength: 3062, nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AcknowledgeBy = table.Column<long>(type: "INTEGER", nullable: true),
                    DecideBy = table.Column<long>(type: "INTEGER", nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AcknowledgedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    AcknowledgedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AcceptanceReason = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DeclineReason = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DecisionText = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ResponsibleOfficerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CapacityAcknowledgement = table.Column<string>(type: "TEXT", nullable: true),
                    HandoverUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    OpenCaseId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Escalations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Escalations_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Escalations_RiskAssessments_RiskAssessmentId",
                        column: x => x.RiskAssessmentId,
                        principalTable: "RiskAssessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CaseAccessGrants_CaseId_OrganisationCode_Until",
                table: "CaseAccessGrants",
                columns: new[] { "CaseId", "OrganisationCode", "Until" });

            migrationBuilder.CreateIndex(
                name: "IX_Escalations_CaseId",
                table: "Escalations",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_Escalations_NpsRegionCode_State",
                table: "Escalations",
                columns: new[] { "NpsRegionCode", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_Escalations_OpenCaseId",
                table: "Escalations",
                column: "OpenCaseId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Escalations_ProviderCode_State",
                table: "Escalations",
                columns: new[] { "ProviderCode", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_Escalations_RiskAssessmentId",
                table: "Escalations",
                column: "RiskAssessmentId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CaseAccessGrants");

            migrationBuilder.DropTable(
                name: "Escalations");
        }
    }
}
