using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseTransfer.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class InformationSharing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Documents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CaseId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Crn = table.Column<string>(type: "nvarchar(7)", maxLength: 7, nullable: false),
                    OwnerOrganisationCode = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    UploadedBy = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    UploadedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    FileName = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: false),
                    Title = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: true),
                    ContentType = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Length = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    StorageKey = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Documents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Documents_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "InformationRequests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CaseId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Crn = table.Column<string>(type: "nvarchar(7)", maxLength: 7, nullable: false),
                    RequesterOrganisationCode = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    RequestedBy = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    RequestedByName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    AddresseeOrganisationCode = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Type = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    OtherType = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    Purpose = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    LawfulBasis = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Urgency = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    DueDate = table.Column<DateOnly>(type: "date", nullable: false),
                    DueBy = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    State = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    AnsweredBy = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    ShareId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    RefusalReason = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    RefusalText = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InformationRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InformationRequests_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Shares",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CaseId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Crn = table.Column<string>(type: "nvarchar(7)", maxLength: 7, nullable: false),
                    SharerOrganisationCode = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    SharedBy = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    SharedByName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    SharedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    RecipientOrganisationCode = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    NamesPeople = table.Column<bool>(type: "bit", nullable: false),
                    Type = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    OtherType = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    Purpose = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    LawfulBasis = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Mode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Content = table.Column<string>(type: "nvarchar(max)", maxLength: 20000, nullable: true),
                    Withheld = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    WithheldReason = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    RequestId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    RevokedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    RevokedBy = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    RevocationReason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Shares", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Shares_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ShareDocument",
                columns: table => new
                {
                    ShareId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    DocumentId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Position = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ShareDocument", x => new { x.ShareId, x.DocumentId });
                    table.ForeignKey(
                        name: "FK_ShareDocument_Documents_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "Documents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ShareDocument_Shares_ShareId",
                        column: x => x.ShareId,
                        principalTable: "Shares",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ShareRecipient",
                columns: table => new
                {
                    ShareId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    UserId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ShareRecipient", x => new { x.ShareId, x.UserId });
                    table.ForeignKey(
                        name: "FK_ShareRecipient_Shares_ShareId",
                        column: x => x.ShareId,
                        principalTable: "Shares",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Documents_CaseId_OwnerOrganisationCode",
                table: "Documents",
                columns: new[] { "CaseId", "OwnerOrganisationCode" });

            migrationBuilder.CreateIndex(
                name: "IX_Documents_StorageKey",
                table: "Documents",
                column: "StorageKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InformationRequests_AddresseeOrganisationCode_State",
                table: "InformationRequests",
                columns: new[] { "AddresseeOrganisationCode", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_InformationRequests_CaseId",
                table: "InformationRequests",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_InformationRequests_RequesterOrganisationCode_State",
                table: "InformationRequests",
                columns: new[] { "RequesterOrganisationCode", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_InformationRequests_State_DueBy",
                table: "InformationRequests",
                columns: new[] { "State", "DueBy" });

            migrationBuilder.CreateIndex(
                name: "IX_ShareDocument_DocumentId",
                table: "ShareDocument",
                column: "DocumentId");

            migrationBuilder.CreateIndex(
                name: "IX_Shares_CaseId_RecipientOrganisationCode_ExpiresAt",
                table: "Shares",
                columns: new[] { "CaseId", "RecipientOrganisationCode", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Shares_RecipientOrganisationCode_ExpiresAt",
                table: "Shares",
                columns: new[] { "RecipientOrganisationCode", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Shares_RequestId",
                table: "Shares",
                column: "RequestId");

            migrationBuilder.CreateIndex(
                name: "IX_Shares_SharerOrganisationCode_SharedAt",
                table: "Shares",
                columns: new[] { "SharerOrganisationCode", "SharedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "InformationRequests");

            migrationBuilder.DropTable(
                name: "ShareDocument");

            migrationBuilder.DropTable(
                name: "ShareRecipient");

            migrationBuilder.DropTable(
                name: "Documents");

            migrationBuilder.DropTable(
                name: "Shares");
        }
    }
}
