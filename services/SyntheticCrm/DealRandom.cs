namespace DealRisk.SyntheticCrm;

/// <summary>
/// SplitMix64: tiny, fast and the same on every runtime, so a deal depends only on (seed, index)
/// and any deal can be regenerated on its own.
/// </summary>
internal sealed class DealRandom
{
    private ulong _state;

    public DealRandom(int seed, int index)
    {
        _state = ((ulong)(uint)seed << 32) | (uint)index;
        _state = NextUInt64();
    }

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Between(double min, double max) => min + (max - min) * NextDouble();

    public int Next(int maxExclusive) => (int)(NextDouble() * maxExclusive);

    public int Between(int minInclusive, int maxInclusive) => minInclusive + Next(maxInclusive - minInclusive + 1);

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public double Gaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public double Exponential(double mean) => -mean * Math.Log(1.0 - NextDouble());

    public int Poisson(double mean)
    {
        var limit = Math.Exp(-mean);
        var count = 0;
        for (var product = NextDouble(); product > limit; product *= NextDouble())
            count++;
        return count;
    }

    public T PickWeighted<T>(IReadOnlyList<(T Item, double Weight)> items)
    {
        var total = 0.0;
        foreach (var (_, weight) in items)
            total += weight;
        var target = NextDouble() * total;
        foreach (var (item, weight) in items)
        {
            target -= weight;
            if (target < 0)
                return item;
        }
        return items[^1].Item;
    }
}
