using System.Diagnostics;

namespace DealRisk.AllInOne;

/// <summary>
/// Progress of a file being read, for output that no terminal redraws (a pipe, a CI log): whole lines, one per tenth
/// of the file, always ending with the 100 % line, so nothing is cut short and log lines never land inside one.
/// </summary>
public sealed class LineProgress(TextWriter output, string description, long total)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _printedTenths = -1;

    public void Report(long position)
    {
        var tenths = (int)Math.Clamp(position * 10 / Math.Max(1, total), 0, 10);
        if (tenths > _printedTenths)
            Print(tenths);
    }

    public void Complete()
    {
        if (_printedTenths < 10)
            Print(10);
    }

    private void Print(int tenths)
    {
        _printedTenths = tenths;
        output.WriteLine($"{description}: {tenths * 10,3}% ({_clock.Elapsed.TotalSeconds:0.0} s)");
        output.Flush();
    }
}
