using System.Runtime.InteropServices;
using Coherence.Native.Interop;

namespace Coherence.Native.CacheLines;

/// <summary>
/// Maps machine code executable without a C toolchain: an anonymous private page is mapped read-write, the code is
/// copied in, and the page is switched to read-execute (never writable and executable at once). The page lives
/// for the rest of the process.
/// </summary>
internal static unsafe class ExecutableCode
{
    /// <summary>Maps the code blocks into one fresh region and returns the entry point of each, in order.</summary>
    /// <exception cref="PlatformNotSupportedException">Not Linux or not x86-64.</exception>
    /// <exception cref="InvalidOperationException">mmap or mprotect failed; the message names the errno.</exception>
    public static nint[] Map(IReadOnlyList<byte[]> blocks)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException(
                $"executable cache-line stubs need Linux on x86-64; this is {RuntimeInformation.OSDescription} on {RuntimeInformation.ProcessArchitecture}");
        }

        const int Alignment = 16;
        nuint total = 0;
        foreach (var block in blocks)
        {
            total += (nuint)((block.Length + Alignment - 1) / Alignment * Alignment);
        }

        var page = (nuint)LibC.GetPageSize();
        var length = (total + page - 1) / page * page;
        var region = LibC.Mmap(0, length, LibC.ProtRead | LibC.ProtWrite, LibC.MapPrivate | LibC.MapAnonymous, -1, 0);
        if (region == LibC.MapFailed)
        {
            throw new InvalidOperationException($"mmap of {length} bytes for cache-line stubs failed: {LibC.DescribeErrno(Marshal.GetLastPInvokeError())}");
        }

        var entries = new nint[blocks.Count];
        nuint offset = 0;
        for (var i = 0; i < blocks.Count; i++)
        {
            entries[i] = region + (nint)offset;
            blocks[i].CopyTo(new Span<byte>((void*)entries[i], blocks[i].Length));
            offset += (nuint)((blocks[i].Length + Alignment - 1) / Alignment * Alignment);
        }

        if (LibC.Mprotect(region, length, LibC.ProtRead | LibC.ProtExec) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            _ = LibC.Munmap(region, length);
            throw new InvalidOperationException($"mprotect(PROT_READ|PROT_EXEC) of the cache-line stubs failed: {LibC.DescribeErrno(errno)}");
        }

        return entries;
    }
}
