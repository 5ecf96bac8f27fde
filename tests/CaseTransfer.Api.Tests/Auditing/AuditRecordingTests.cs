using CaseTransfer.Application.Auditing;

namespace CaseTransfer.Api.Tests.Auditing;

/// <summary>Audit entries can be switched off only in the Benchmark environment; anywhere else the setting stops the service.</summary>
public sealed class AuditRecordingTests
{
    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    [InlineData("Testing")]
    public void Switching_entries_off_outside_the_benchmark_environment_is_refused(string environment)
    {
        Assert.Throws<InvalidOperationException>(() => AuditRecording.For(environment, false, null));
        Assert.Throws<InvalidOperationException>(() => AuditRecording.For(environment, null, false));
        Assert.Equal(AuditRecording.Always, AuditRecording.For(environment, true, true));
        Assert.Equal(AuditRecording.Always, AuditRecording.For(environment, null, null));
    }

    [Fact]
    public void The_benchmark_environment_may_switch_either_kind_off()
    {
        Assert.Equal(new AuditRecording(false, true), AuditRecording.For("Benchmark", false, null));
        Assert.Equal(new AuditRecording(true, false), AuditRecording.For("Benchmark", null, false));
    }
}
