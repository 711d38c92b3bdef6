namespace DealRisk.EndToEnd.Tests;

/// <summary>Polls until a condition holds or the timeout passes, and returns the last value either way for the asserts to judge.</summary>
public static class Eventually
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    public static Task<T> ReadAsync<T>(Func<T> read, Func<T, bool> condition, TimeSpan timeout) =>
        ReadAsync(() => Task.FromResult(read()), condition, timeout);

    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var value = await read();
        while (!condition(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(Poll);
            value = await read();
        }
        return value;
    }
}
