using System.Runtime.InteropServices;

namespace Coherence.Native.Bench;

/// <summary>
/// The libpmem calls the copy benchmark compares against (PMDK's libpmem, Debian package <c>libpmem1</c>, loaded
/// as <c>libpmem.so.1</c>; install with <c>bash .ci/setup libpmem</c>). Call only when <see cref="IsAvailable"/>.
/// </summary>
public static unsafe partial class LibPmem
{
    /// <summary>The shared object's name.</summary>
    public const string Library = "libpmem.so.1";

    /// <summary><c>PMEM_F_MEM_NODRAIN</c>: skip the final <c>pmem_drain</c>.</summary>
    public const uint NoDrain = 1u << 0;

    /// <summary><c>PMEM_F_MEM_NONTEMPORAL</c>: use non-temporal stores.</summary>
    public const uint NonTemporal = 1u << 1;

    private static readonly Lazy<bool> Loaded = new(() => NativeLibrary.TryLoad(Library, typeof(LibPmem).Assembly, null, out _));

    /// <summary>True when <c>libpmem.so.1</c> can be loaded.</summary>
    public static bool IsAvailable => Loaded.Value;

    /// <summary><c>void *pmem_memcpy(void *pmemdest, const void *src, size_t len, unsigned flags)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "pmem_memcpy")]
    public static partial void* Memcpy(void* destination, void* source, nuint length, uint flags);

    /// <summary><c>void *pmem_memcpy_persist(void *pmemdest, const void *src, size_t len)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "pmem_memcpy_persist")]
    public static partial void* MemcpyPersist(void* destination, void* source, nuint length);

    /// <summary><c>void pmem_drain(void)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "pmem_drain")]
    public static partial void Drain();
}
