using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseTransfer.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Allocation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "AvailableHours",
                table: "Practitioners",
                type: "TEXT",
                precision: 5,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "HasAccessLimits",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Tier",
                table: "Cases",
                type: "TEXT",
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CapacityAcknowledgement",
                table: "CaseHoldings",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Allocations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Crn = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    AreaCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    FromOrganisationCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ToOrganisationCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ReasonText = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    RulesOutcome = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    RulesOrganisationCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    RulesProvisional = table.Column<bool>(type: "INTEGER", nullable: false),
                    RulesetVersion = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    RulesetHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FactsJson = table.Column<string>(type: "TEXT", nullable: false),
                    DecisionJson = table.Column<string>(type: "TEXT", nullable: false),
                    IsOverride = table.Column<bool>(type: "INTEGER", nullable: false),
                    OverrideJustification = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ProposedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ProposedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ApprovedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ApprovedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DueBy = table.Column<long>(type: "INTEGER", nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RejectionReason = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DecisionText = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ResponsibleOfficerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CapacityAcknowledgement = table.Column<string>(type: "TEXT", nullable: true),
                    OpenCaseId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Allocations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Allocations_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CaseAccessLimits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    StaffCode = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    AddedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RemovedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    RemovedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseAccessLimits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CaseAccessLimits_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CaseTiers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Tier = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    ProtectPoints = table.Column<int>(type: "INTEGER", nullable: false),
                    ChangePoints = table.Column<int>(type: "INTEGER", nullable: false),
                    BreakdownJson = table.Column<string>(type: "TEXT", nullable: false),
                    RulesetVersion = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    RulesetHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RiskAssessmentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ComputedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseTiers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CaseTiers_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "GradeTargets",
                columns: table => new
                {
                    EffectiveFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Grade = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    TargetPoints = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GradeTargets", x => new { x.EffectiveFrom, x.Grade });
                });

            migrationBuilder.CreateTable(
                name: "StoredRulesets",
                columns: table => new
                {
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Version = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Content = table.Column<string>(type: "TEXT", nullable: false),
                    FirstLoadedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StoredRulesets", x => x.Hash);
                });

            migrationBuilder.CreateTable(
                name: "TransferJobs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    FromOrganisationCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    AreaCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    ToOrganisationCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    EffectiveAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    Moved = table.Column<int>(type: "INTEGER", nullable: false),
                    Skipped = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RequestedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RequestedByOrganisation = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    TraceId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Failure = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TransferJobs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WorkloadWeightings",
                columns: table => new
                {
                    EffectiveFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Tier = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    CaseType = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Points = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkloadWeightings", x => new { x.EffectiveFrom, x.Tier, x.CaseType });
                });

            migrationBuilder.CreateTable(
                name: "TransferJobItems",
                columns: table => new
                {
                    JobId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    Crn = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SkipReason = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TransferJobItems", x => new { x.JobId, x.CaseId });
                    table.ForeignKey(
                        name: "FK_TransferJobItems_TransferJobs_JobId",
                        column: x => x.JobId,
                        principalTable: "TransferJobs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_ResponsibleOfficerId_Id",
                table: "Cases",
                columns: new[] { "ResponsibleOfficerId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Allocations_AreaCode_ProposedAt",
                table: "Allocations",
                columns: new[] { "AreaCode", "ProposedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Allocations_CaseId",
                table: "Allocations",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_Allocations_FromOrganisationCode_State_DueBy",
                table: "Allocations",
                columns: new[] { "FromOrganisationCode", "State", "DueBy" });

            migrationBuilder.CreateIndex(
                name: "IX_Allocations_OpenCaseId",
                table: "Allocations",
                column: "OpenCaseId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Allocations_ToOrganisationCode_State_DueBy",
                table: "Allocations",
                columns: new[] { "ToOrganisationCode", "State", "DueBy" });

            migrationBuilder.CreateIndex(
                name: "IX_CaseAccessLimits_CaseId_Kind",
                table: "CaseAccessLimits",
                columns: new[] { "CaseId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_CaseAccessLimits_StaffCode",
                table: "CaseAccessLimits",
                column: "StaffCode");

            migrationBuilder.CreateIndex(
                name: "IX_CaseTiers_CaseId_ComputedAt",
                table: "CaseTiers",
                columns: new[] { "CaseId", "ComputedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TransferJobItems_JobId_Outcome_Sequence",
                table: "TransferJobItems",
                columns: new[] { "JobId", "Outcome", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_TransferJobs_State",
                table: "TransferJobs",
                column: "State");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Allocations");

            migrationBuilder.DropTable(
                name: "CaseAccessLimits");

            migrationBuilder.DropTable(
                name: "CaseTiers");

            migrationBuilder.DropTable(
                name: "GradeTargets");

            migrationBuilder.DropTable(
                name: "StoredRulesets");

            migrationBuilder.DropTable(
                name: "TransferJobItems");

            migrationBuilder.DropTable(
                name: "WorkloadWeightings");

            migrationBuilder.DropTable(
                name: "TransferJobs");

            migrationBuilder.DropIndex(
                name: "IX_Cases_ResponsibleOfficerId_Id",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "AvailableHours",
                table: "Practitioners");

            migrationBuilder.DropColumn(
                name: "HasAccessLimits",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "Tier",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "CapacityAcknowledgement",
                table: "CaseHoldings");
        }
    }
}
