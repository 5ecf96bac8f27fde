namespace CaseTransfer.Application.Auditing;

/// <summary>
/// Whether the pipeline writes audit entries. Always both, except in a host whose environment is
/// <see cref="BenchmarkEnvironment"/>, where the benchmarks may switch either off to measure what auditing costs
/// (<c>Audit:RecordEntriesInBenchmark</c>, <c>Audit:RecordConsultationsInBenchmark</c>). Any other host that is
/// given either setting as <c>false</c> refuses to start, so the service never runs without its audit trail.
/// </summary>
public sealed record AuditRecording(bool Entries, bool Consultations)
{
    public const string BenchmarkEnvironment = "Benchmark";
    public const string EntriesSetting = "Audit:RecordEntriesInBenchmark";
    public const string ConsultationsSetting = "Audit:RecordConsultationsInBenchmark";

    public static readonly AuditRecording Always = new(true, true);

    /// <summary>Reads the two settings; refuses them outside the benchmark environment.</summary>
    public static AuditRecording For(string environmentName, bool? entries, bool? consultations)
    {
        if (entries is not false && consultations is not false)
        {
            return Always;
        }

        if (environmentName != BenchmarkEnvironment)
        {
            throw new InvalidOperationException(
                $"{EntriesSetting} and {ConsultationsSetting} may only be false in the {BenchmarkEnvironment} environment, not in {environmentName}: "
                + "the service does not run without its audit trail.");
        }

        return new AuditRecording(entries ?? true, consultations ?? true);
    }
}
