using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DealRisk.Notification.Reports;

/// <summary>
/// A report file that hands every few megabytes to the disk as it is written, without waiting for them. Written plainly,
/// a million deals' report and extract (about 800 MB) sat dirty in the page cache until the extract was renamed into
/// place, and the kernel then wrote them in one burst that held the disk for about a second: the services' own small
/// commits queued behind it, the worst of the real-time tail during a batch. PostgreSQL paces its checkpoints the same
/// way (<c>checkpoint_flush_after</c>). Linux only; elsewhere a plain file.
/// </summary>
public sealed class WriteBehindFile(FileStream file) : Stream
{
    /// <summary>How much is written before it is handed to the disk: a few milliseconds of this machine's disk.</summary>
    public const long Step = 4 << 20;

    private long _handedOver;

    public static WriteBehindFile Create(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.SequentialScan));

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => file.Length;

    public override long Position
    {
        get => file.Position;
        set => throw new NotSupportedException("A report file is written front to back.");
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        file.Write(buffer);
        HandOverIfDue();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value)
    {
        file.WriteByte(value);
        HandOverIfDue();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await file.WriteAsync(buffer, cancellationToken);
        HandOverIfDue();
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => file.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => file.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            file.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await file.DisposeAsync();
        await base.DisposeAsync();
    }

    private void HandOverIfDue()
    {
        var written = file.Position;
        if (written - _handedOver < Step)
            return;
        file.Flush();
        DiskWriteOut.Start(file.SafeFileHandle, _handedOver, written - _handedOver);
        _handedOver = written;
    }
}

/// <summary>Starts writing a file's range to disk and returns at once (Linux <c>sync_file_range</c> with <c>SYNC_FILE_RANGE_WRITE</c>).</summary>
public static class DiskWriteOut
{
    private const uint SyncFileRangeWrite = 2;

    /// <returns>Whether the write-out was started; it is advice, so a refusal leaves the range to the kernel's own write-back.</returns>
    public static bool Start(SafeFileHandle file, long offset, long count)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            return sync_file_range((int)file.DangerousGetHandle(), offset, count, SyncFileRangeWrite) == 0;
        }
        finally
        {
            if (added)
                file.DangerousRelease();
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int sync_file_range(int fd, long offset, long nbytes, uint flags);
}
