using CaseTransfer.Api.Tests.Infrastructure;
using CaseTransfer.Application.Documents;
using CaseTransfer.Infrastructure.Documents;

namespace CaseTransfer.Api.Tests.Documents;

/// <summary>clamd's replies read as verdicts, the retry backoff, and a scanner that is down giving no verdict rather than an error.</summary>
public class ClamdScannerTests
{
    [Fact]
    public void Clamds_replies_are_read_as_verdicts()
    {
        Assert.Equal(ScanOutcome.Clean, ClamdScanner.Parse("stream: OK").Outcome);
        var found = ClamdScanner.Parse("stream: Win.Test.EICAR_HDB-1 FOUND");
        Assert.Equal(ScanOutcome.Infected, found.Outcome);
        Assert.Equal("Win.Test.EICAR_HDB-1", found.Signature);
        Assert.Equal(ScanOutcome.Failed, ClamdScanner.Parse("INSTREAM size limit exceeded. ERROR").Outcome);
        Assert.Equal(ScanOutcome.Failed, ClamdScanner.Parse("").Outcome);
    }

    [Fact]
    public void The_retry_waits_double_with_each_failure_up_to_the_maximum()
    {
        var options = new ScanningOptions { RetryIntervalSeconds = 30, MaxRetryIntervalSeconds = 3600 };
        Assert.Equal(TimeSpan.FromSeconds(30), options.RetryAfter(1));
        Assert.Equal(TimeSpan.FromSeconds(60), options.RetryAfter(2));
        Assert.Equal(TimeSpan.FromSeconds(240), options.RetryAfter(4));
        Assert.Equal(TimeSpan.FromSeconds(3600), options.RetryAfter(40));
    }

    [Fact]
    public async Task A_scanner_that_is_down_gives_no_verdict_and_no_error()
    {
        var scanner = new ClamdScanner(new ScanningOptions { Enabled = true, ClamdPort = PostgresCluster.FreePort(), TimeoutSeconds = 2 });
        await using var scan = await TeeScan.StartAsync(scanner, TestContext.Current.CancellationToken);
        await scan.WriteAsync(Clamd.Eicar, TestContext.Current.CancellationToken);
        var verdict = await scan.CompleteAsync(TestContext.Current.CancellationToken);
        Assert.Equal(ScanOutcome.Failed, verdict.Outcome);
        Assert.NotNull(verdict.Problem);
    }
}
