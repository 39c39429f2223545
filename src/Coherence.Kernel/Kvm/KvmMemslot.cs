namespace Coherence.Kernel.Kvm;

/// <summary><c>kvm_userspace_memory_region.flags</c>.</summary>
[Flags]
public enum KvmMemFlags
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary>KVM_MEM_LOG_DIRTY_PAGES.</summary>
    LogDirtyPages = 1 << 0,

    /// <summary>KVM_MEM_READONLY.</summary>
    ReadOnly = 1 << 1,
}

/// <summary>A memslot: guest physical pages [<see cref="BaseGfn"/>, +<see cref="NPages"/>) backed by the VMM's
/// virtual addresses from <see cref="UserspaceAddr"/>.</summary>
/// <param name="Id">The slot number.</param>
/// <param name="BaseGfn">First guest frame.</param>
/// <param name="NPages">Number of 4 KiB pages.</param>
/// <param name="UserspaceAddr">Host virtual address of the first page.</param>
/// <param name="Flags">KVM_MEM_* flags.</param>
public sealed record KvmMemslot(int Id, ulong BaseGfn, ulong NPages, ulong UserspaceAddr, KvmMemFlags Flags)
{
    /// <summary>Dirty logging is on.</summary>
    public bool DirtyLogging => Flags.HasFlag(KvmMemFlags.LogDirtyPages);

    /// <summary>True when <paramref name="gfn"/> is in the slot.</summary>
    public bool Contains(ulong gfn) => gfn >= BaseGfn && gfn - BaseGfn < NPages;

    /// <summary><c>gfn_to_hva_memslot</c>.</summary>
    public ulong HvaOf(ulong gfn) => UserspaceAddr + ((gfn - BaseGfn) * Vma.PageSize);
}
