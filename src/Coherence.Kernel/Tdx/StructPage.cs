using System.Runtime.InteropServices;

namespace Coherence.Kernel.Tdx;

/// <summary>
/// A stand-in for <c>struct page</c> (64 bytes on x86-64): <c>flags</c> first, then the words the kernel keeps
/// there (lru or compound head, mapping, index, private, _mapcount/_refcount, memcg_data, ...), here unused.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = Size)]
public struct StructPage
{
    /// <summary>sizeof(struct page).</summary>
    public const int Size = 64;

    /// <summary><c>page-&gt;flags</c>.</summary>
    public ulong Flags;
}
