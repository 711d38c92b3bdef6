using DealRisk.Notification.Reports;
using DealRisk.Testing;

namespace DealRisk.Notification.Tests;

public sealed class WriteBehindFileTests
{
    [Fact]
    public async Task A_file_written_in_pieces_across_several_hand_overs_reads_back_byte_for_byte()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "report.csv");
        var expected = new byte[(int)(WriteBehindFile.Step * 2 + 12_345)];
        new Random(1).NextBytes(expected);

        await using (var file = WriteBehindFile.Create(path))
        {
            var at = 0;
            foreach (var piece in new[] { 1, 70_000, (int)WriteBehindFile.Step, 3 })
            {
                file.Write(expected.AsSpan(at, piece));
                at += piece;
            }
            await file.WriteAsync(expected.AsMemory(at, 1_000));
            at += 1_000;
            file.WriteByte(expected[at++]);
            file.Write(expected, at, expected.Length - at);
            Assert.Equal(expected.Length, file.Position);
        }

        Assert.Equal(expected, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public void On_linux_the_kernel_accepts_the_hand_over_of_a_written_range_and_elsewhere_none_is_tried()
    {
        using var directory = new TempDirectory();
        using var file = new FileStream(Path.Combine(directory.Path, "range"), FileMode.Create, FileAccess.Write);
        file.Write(new byte[1 << 20]);
        file.Flush();

        var started = DiskWriteOut.Start(file.SafeFileHandle, 0, 1 << 20);

        Assert.True(started == OperatingSystem.IsLinux(), $"started {started}, errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }
}
