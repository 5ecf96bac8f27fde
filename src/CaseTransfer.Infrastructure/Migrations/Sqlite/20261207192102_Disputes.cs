using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseTransfer.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Disputes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Disputes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Crn = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    SubjectKind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SubjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    NpsOrganisationCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ProviderCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    RaisedByOrganisationCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    RaisedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RaisedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Grounds = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    StageEnteredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StageReachedBy = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    StageDueBy = table.Column<long>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    OutcomeText = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ResolvedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    NewHolderCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    ResponsibleOfficerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CapacityAcknowledgement = table.Column<string>(type: "TEXT", nullable: true),
                    OpenSubjectId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OpenCaseId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Disputes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Disputes_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DisputeStageChange",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DisputeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    From = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    To = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Cause = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    By = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    DueBy = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisputeStageChange", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DisputeStageChange_Disputes_DisputeId",
                        column: x => x.DisputeId,
                        principalTable: "Disputes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DisputeStatement",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DisputeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AuthorUserId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    AuthorName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    AuthorOrganisationCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisputeStatement", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DisputeStatement_Disputes_DisputeId",
                        column: x => x.DisputeId,
                        principalTable: "Disputes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Disputes_CaseId",
                table: "Disputes",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_Disputes_NpsOrganisationCode_Stage",
                table: "Disputes",
                columns: new[] { "NpsOrganisationCode", "Stage" });

            migrationBuilder.CreateIndex(
                name: "IX_Disputes_OpenCaseId",
                table: "Disputes",
                column: "OpenCaseId");

            migrationBuilder.CreateIndex(
                name: "IX_Disputes_OpenSubjectId",
                table: "Disputes",
                column: "OpenSubjectId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Disputes_ProviderCode_Stage",
                table: "Disputes",
                columns: new[] { "ProviderCode", "Stage" });

            migrationBuilder.CreateIndex(
                name: "IX_Disputes_Stage_StageDueBy",
                table: "Disputes",
                columns: new[] { "Stage", "StageDueBy" });

            migrationBuilder.CreateIndex(
                name: "IX_DisputeStageChange_DisputeId_Sequence",
                table: "DisputeStageChange",
                columns: new[] { "DisputeId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DisputeStatement_DisputeId_Sequence",
                table: "DisputeStatement",
                columns: new[] { "DisputeId", "Sequence" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DisputeStageChange");

            migrationBuilder.DropTable(
                name: "DisputeStatement");

            migrationBuilder.DropTable(
                name: "Disputes");
        }
    }
}
