namespace DealRisk.Storage;

/// <summary>
/// Fails bulk writes on demand, after their documents are written and before they are committed or acknowledged:
/// where a lost connection or a full disk would hit. Tests use it because no real server can be made to fail there.
/// </summary>
internal sealed class WriteFaults
{
    private int _pending;

    public void FailNextBulkWrites(int count) => Interlocked.Exchange(ref _pending, count);

    public void AfterBulkWrite()
    {
        if (Volatile.Read(ref _pending) > 0 && Interlocked.Decrement(ref _pending) >= 0)
            throw new IOException("Injected write fault: the bulk write failed before it was committed.");
    }
}
