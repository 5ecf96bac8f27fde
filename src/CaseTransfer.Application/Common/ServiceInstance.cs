namespace CaseTransfer.Application.Common;

/// <summary>
/// Names this instance of the service (one per process) in the leases and claims it takes on a shared database: the
/// alert lease, webhook deliveries, outbox rows for the broker. Several instances tell their claims apart by it.
/// </summary>
public sealed class ServiceInstance
{
    /// <summary>
    /// At most this long, so a claim (the name and a 33-character suffix) fits the 200-character claim columns. A longer
    /// name keeps its end, where the process id and the random part are.
    /// </summary>
    public const int NameMaxLength = 150;

    public string Name { get; } = Limit($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}");

    private static string Limit(string name) => name.Length <= NameMaxLength ? name : name[^NameMaxLength..];
}
