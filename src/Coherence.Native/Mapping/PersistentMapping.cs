using System.Runtime.InteropServices;
using Coherence.Native.CacheLines;
using Coherence.Native.Copy;
using Coherence.Native.Interop;
using Microsoft.Win32.SafeHandles;

namespace Coherence.Native.Mapping;

/// <summary>
/// A file mapped shared into memory for persistent writes (Linux). On a DAX file system the mapping asks for
/// synchronous faults (<c>MAP_SHARED_VALIDATE | MAP_SYNC</c>) so that <see cref="Flush"/> plus <see cref="Drain"/>
/// make stores durable; elsewhere the kernel refuses <c>MAP_SYNC</c> and the mapping falls back to
/// <c>msync</c>. <see cref="Mode"/> says which is in use and <see cref="ModeReason"/> why.
/// </summary>
/// <remarks>Invariant: while not disposed, <see cref="Address"/> maps exactly <see cref="Length"/> bytes of the file from offset 0.</remarks>
public sealed unsafe class PersistentMapping : IDisposable
{
    private nint address;

    private PersistentMapping(string path, nint address, long length, MappingMode mode, string reason)
    {
        Path = path;
        this.address = address;
        Length = length;
        Mode = mode;
        ModeReason = reason;
    }

    /// <summary>The mapped file's path as given.</summary>
    public string Path { get; }

    /// <summary>The mapped length in bytes.</summary>
    public long Length { get; }

    /// <summary>How durability is obtained.</summary>
    public MappingMode Mode { get; }

    /// <summary>Why this mode: the <c>MAP_SYNC</c> outcome in words.</summary>
    public string ModeReason { get; }

    /// <summary>True when the file is on persistent memory mapped with synchronous faults (<see cref="MappingMode.SynchronousFaults"/>).</summary>
    public bool IsPersistentMemory => Mode == MappingMode.SynchronousFaults;

    /// <summary>The first mapped byte.</summary>
    /// <exception cref="ObjectDisposedException">After <see cref="Dispose"/>.</exception>
    public nint Address
    {
        get
        {
            ObjectDisposedException.ThrowIf(address == 0, this);
            return address;
        }
    }

    /// <summary>The mapped bytes (the first <see cref="int.MaxValue"/> of them at most).</summary>
    public Span<byte> Span => new((void*)Address, (int)Math.Min(Length, int.MaxValue));

    /// <summary>Maps all of an existing file for reading and writing.</summary>
    /// <param name="path">The file.</param>
    /// <param name="trySynchronousFaults">Ask for <c>MAP_SYNC</c> first (the default); false forces <see cref="MappingMode.Msync"/>.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is read-only or may not be opened for writing.</exception>
    /// <exception cref="IOException">The file is empty or cannot be mapped.</exception>
    public static PersistentMapping Open(string path, bool trySynchronousFaults = true) => Map(path, null, trySynchronousFaults);

    /// <summary>Creates (or truncates) a file of <paramref name="length"/> zero bytes and maps it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not positive.</exception>
    public static PersistentMapping Create(string path, long length, bool trySynchronousFaults = true)
    {
        if (length <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"{path}: a persistent mapping needs a positive length, not {length}");
        }

        using (var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite))
        {
            stream.SetLength(length);
        }

        return Map(path, length, trySynchronousFaults);
    }

    /// <summary>
    /// Copies <paramref name="data"/> to <paramref name="offset"/>: the flushcache copy on persistent memory (no
    /// fence; follow with <see cref="Drain"/>), an ordinary copy otherwise (follow with <see cref="Persist"/>).
    /// </summary>
    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        CheckRange(offset, data.Length);
        var destination = new Span<byte>((void*)(Address + (nint)offset), data.Length);
        if (IsPersistentMemory)
        {
            FlushCache.Copy(destination, data);
        }
        else
        {
            data.CopyTo(destination);
        }
    }

    /// <summary>
    /// Makes <c>[offset, offset + length)</c> durable: <see cref="Flush"/> then <see cref="Drain"/> on persistent
    /// memory, <c>msync(MS_SYNC)</c> of the pages otherwise.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the mapping; the message names the values and the path.</exception>
    public void Persist(long offset, long length)
    {
        Flush(offset, length);
        Drain();
    }

    /// <summary>
    /// Starts making a range durable: writes back its cache lines (no fence) on persistent memory; on a page-cache
    /// mapping this is <c>msync(MS_SYNC)</c>, already durable when it returns.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the mapping.</exception>
    /// <exception cref="IOException">msync failed.</exception>
    public void Flush(long offset, long length)
    {
        CheckRange(offset, length);
        if (length == 0)
        {
            return;
        }

        if (IsPersistentMemory)
        {
            CacheLine.WriteBack((void*)(Address + (nint)offset), (nuint)length);
            return;
        }

        var page = (long)LibC.GetPageSize();
        var start = offset / page * page;
        if (LibC.Msync(Address + (nint)start, (nuint)(offset + length - start), LibC.MsSync) != 0)
        {
            throw new IOException($"{Path}: msync of bytes {offset}..{offset + length} failed: {LibC.DescribeErrno(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>Waits for earlier flushes and flushcache writes to complete (SFENCE; nothing to wait for after msync).</summary>
    public void Drain() => CacheLine.Fence();

    /// <summary>Unmaps the file. Stores not yet persisted may or may not be durable.</summary>
    public void Dispose()
    {
        if (address != 0)
        {
            _ = LibC.Munmap(address, (nuint)Length);
            address = 0;
        }
    }

    private void CheckRange(long offset, long length)
    {
        if (offset < 0 || offset > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"{Path}: offset {offset} is outside the mapping of {Length} bytes");
        }

        if (length < 0 || length > Length - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length,
                $"{Path}: length {length} at offset {offset} goes beyond the mapping of {Length} bytes");
        }
    }

    private static PersistentMapping Map(string path, long? expectedLength, bool trySynchronousFaults)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException($"{path}: persistent mappings need Linux (mmap, MAP_SYNC, msync)");
        }

        if (Directory.Exists(path))
        {
            throw new IOException($"{path}: is a folder, not a file to map");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file to map", path);
        }

        const UnixFileMode AnyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        var mode = File.GetUnixFileMode(path);
        if ((mode & AnyWrite) == 0)
        {
            throw new UnauthorizedAccessException(
                $"{path}: the file is read-only (mode {Convert.ToString((int)mode, 8)}); a persistent mapping needs write access");
        }

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"{path}: cannot open the file for writing ({e.Message})", e);
        }

        using (handle)
        {
            var length = RandomAccess.GetLength(handle);
            if (length == 0)
            {
                throw new IOException($"{path}: the file is empty; there is nothing to map");
            }

            if (expectedLength is long expected && expected != length)
            {
                throw new IOException($"{path}: the file is {length} bytes, expected {expected}");
            }

            var fd = (int)handle.DangerousGetHandle();
            const int ReadWrite = LibC.ProtRead | LibC.ProtWrite;
            string reason;
            if (trySynchronousFaults && CacheLine.IsSupported)
            {
                var sync = LibC.Mmap(0, (nuint)length, ReadWrite, LibC.MapSharedValidate | LibC.MapSync, fd, 0);
                if (sync != LibC.MapFailed)
                {
                    return new PersistentMapping(path, sync, length, MappingMode.SynchronousFaults,
                        "MAP_SYNC accepted: a DAX file system on persistent memory; flush + fence is durable");
                }

                var errno = Marshal.GetLastPInvokeError();
                reason = errno is LibC.EOpNotSupp or LibC.EInval
                    ? $"MAP_SYNC refused ({LibC.DescribeErrno(errno)}): not a DAX file system; durability by msync"
                    : $"MAP_SYNC failed ({LibC.DescribeErrno(errno)}); durability by msync";
            }
            else
            {
                reason = trySynchronousFaults
                    ? "no cache-line write-back on this CPU; durability by msync"
                    : "synchronous faults not requested; durability by msync";
            }

            var shared = LibC.Mmap(0, (nuint)length, ReadWrite, LibC.MapShared, fd, 0);
            if (shared == LibC.MapFailed)
            {
                throw new IOException($"{path}: mmap of {length} bytes failed: {LibC.DescribeErrno(Marshal.GetLastPInvokeError())}");
            }

            return new PersistentMapping(path, shared, length, MappingMode.Msync, reason);
        }
    }
}
