using System.Text.Json.Nodes;
using CaseTransfer.Domain.Auditing;

namespace CaseTransfer.Api.Hosting;

/// <summary>
/// The <c>verify-receipt</c> verb: checks a receipt, and optionally its inclusion proof against a signed checkpoint,
/// with nothing but the log's public key. No database, no service, no network: what a practitioner or an
/// organisation can do on its own machine years later.
/// </summary>
public static class OfflineVerification
{
    public const string Usage =
        "usage: verify-receipt --receipt TOKEN --public-key VERIFIER_KEY [--proof PROOF.json --checkpoint CHECKPOINT.txt]\n" +
        "  PROOF.json is the answer of GET /api/v1/audit/entries/{index}/proof; CHECKPOINT.txt a signed note from GET /api/v1/audit/checkpoints.";

    public static int Run(string[] args, TextWriter output)
    {
        var token = Option(args, "--receipt");
        var keyText = Option(args, "--public-key");
        if (token is null || keyText is null)
        {
            output.WriteLine(Usage);
            return 2;
        }

        if (!NoteVerifier.TryParse(keyText, out var key))
        {
            output.WriteLine("FAIL: the public key is not a signed-note verifier key (name+keyid+base64).");
            return 1;
        }

        if (!AuditReceipt.TryParse(token, out var receipt) || !receipt!.Verify(key))
        {
            output.WriteLine("FAIL: the receipt is malformed or its signature does not verify with this key.");
            return 1;
        }

        output.WriteLine($"OK: receipt for entry {receipt.EntryId} issued {receipt.IssuedAt:u}, promised in the log within {receipt.MaxMergeDelaySeconds} s.");
        var proofPath = Option(args, "--proof");
        var checkpointPath = Option(args, "--checkpoint");
        if (proofPath is null && checkpointPath is null)
        {
            return 0;
        }

        if (proofPath is null || checkpointPath is null)
        {
            output.WriteLine("FAIL: --proof and --checkpoint go together.");
            return 2;
        }

        var opening = Checkpoint.Open(File.ReadAllText(checkpointPath), key);
        if (opening.Checkpoint is not { } checkpoint)
        {
            output.WriteLine(opening.Malformed is { } malformed
                ? $"FAIL: the checkpoint cannot be read as a C2SP signed checkpoint: {malformed}."
                : "FAIL: the checkpoint is not signed by this key.");
            return 1;
        }

        var proof = JsonNode.Parse(File.ReadAllText(proofPath))!;
        var index = proof["leafIndex"]!.GetValue<long>();
        var size = proof["treeSize"]!.GetValue<long>();
        var path = proof["auditPath"]!.AsArray().Select(n => Convert.FromBase64String(n!.GetValue<string>())).ToList();
        if (size != checkpoint.TreeSize)
        {
            output.WriteLine($"FAIL: the proof is for a tree of {size} leaves, the checkpoint for {checkpoint.TreeSize}.");
            return 1;
        }

        if (!MerkleTree.VerifyInclusion(index, size, receipt.LeafHash, path, checkpoint.RootHash))
        {
            output.WriteLine("FAIL: the receipt's entry is not in the tree this checkpoint signs.");
            return 1;
        }

        output.WriteLine($"OK: the entry is leaf {index} of the signed tree of {size} leaves; the promise is kept.");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
