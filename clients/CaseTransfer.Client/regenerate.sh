#!/usr/bin/env bash
# Regenerates the C# client (Generated/) from the committed contract, openapi/case-transfer.v1.json, with the Kiota
# version pinned in the repository's tool manifest (dotnet-tools.json). Run after changing the contract; commit the
# result with it. A test (KiotaClientTests) regenerates into a temporary folder with the options kiota-lock.json records
# and fails when the committed files differ, so this is the only way the client changes.
#   clients/CaseTransfer.Client/regenerate.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# No update check against the internet, no hints: the tool needs nothing but the contract.
export KIOTA_OFFLINE_ENABLED=true KIOTA_TUTORIAL_ENABLED=false

dotnet tool restore >/dev/null
dotnet tool run kiota generate \
  --openapi openapi/case-transfer.v1.json \
  --output clients/CaseTransfer.Client/Generated \
  --language CSharp \
  --class-name CaseTransferClient \
  --namespace-name CaseTransfer.Client \
  --exclude-backward-compatible \
  --clean-output \
  --log-level Warning
# Kiota writes its log beside the code; it is not part of the client.
rm -f clients/CaseTransfer.Client/Generated/.kiota.log
