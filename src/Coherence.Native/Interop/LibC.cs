using System.Runtime.InteropServices;

namespace Coherence.Native.Interop;

/// <summary>
/// The few libc calls the Native layer needs (Linux, 64-bit): anonymous and file mappings, page protection,
/// <c>msync</c>. Every call sets the last P/Invoke error so that callers can name the <c>errno</c>.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    public const int ProtRead = 0x1;
    public const int ProtWrite = 0x2;
    public const int ProtExec = 0x4;

    public const int MapShared = 0x01;
    public const int MapPrivate = 0x02;
    public const int MapSharedValidate = 0x03;
    public const int MapAnonymous = 0x20;
    public const int MapSync = 0x80000;

    public const int MsSync = 4;

    public const int EInval = 22;
    public const int EOpNotSupp = 95;

    /// <summary>The value <c>mmap</c> returns on failure.</summary>
    public static readonly nint MapFailed = -1;

    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport(Library, EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint address, nuint length);

    [LibraryImport(Library, EntryPoint = "mprotect", SetLastError = true)]
    public static partial int Mprotect(nint address, nuint length, int protection);

    [LibraryImport(Library, EntryPoint = "msync", SetLastError = true)]
    public static partial int Msync(nint address, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "getpagesize")]
    public static partial int GetPageSize();

    [LibraryImport(Library, EntryPoint = "memcpy")]
    public static partial nint Memcpy(void* destination, void* source, nuint length);

    /// <summary>Describes an errno value for an exception message, e.g. <c>errno 95 (EOPNOTSUPP)</c>.</summary>
    public static string DescribeErrno(int errno) => $"errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})";
}
