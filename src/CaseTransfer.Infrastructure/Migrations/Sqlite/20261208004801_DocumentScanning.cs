using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CaseTransfer.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DocumentScanning : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Hand-set defaults: documents stored before scanning existed are NotScanned (readable as before, scanned
            // once scanning is on), never Pending (unreadable) nor Clean (not scanned); their version starts at 1.
            migrationBuilder.AddColumn<long>(
                name: "NextScanAt",
                table: "Documents",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ScanAttempts",
                table: "Documents",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ScanSignature",
                table: "Documents",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ScanStatus",
                table: "Documents",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                defaultValue: "NotScanned");

            migrationBuilder.AddColumn<long>(
                name: "ScannedAt",
                table: "Documents",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Version",
                table: "Documents",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1L);

            migrationBuilder.CreateIndex(
                name: "IX_Documents_ScanStatus_NextScanAt",
                table: "Documents",
                columns: new[] { "ScanStatus", "NextScanAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Documents_ScanStatus_NextScanAt",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "NextScanAt",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "ScanAttempts",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "ScanSignature",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "ScanStatus",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "ScannedAt",
                table: "Documents");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Documents");
        }
    }
}
