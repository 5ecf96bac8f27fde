namespace CaseTransfer.Application.Transfers;

/// <summary>
/// Wakes this instance's transfer worker as soon as a job is accepted, instead of at its next poll. Other instances
/// find the job at their next poll; a missed wake only costs that delay.
/// </summary>
public sealed class TransferWorkSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Woken twice at once: one wake is enough.
            }
        }
    }

    /// <summary>Waits for a wake or the timeout, whichever comes first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
