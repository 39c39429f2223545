namespace Coherence.Native.Bench;

/// <summary>One column of the copy benchmark.</summary>
public enum CopyCandidate
{
    /// <summary><c>FlushCache.Copy</c> then <c>FlushCache.Drain</c>.</summary>
    Coherence,

    /// <summary><c>pmem_memcpy(…, PMEM_F_MEM_NONTEMPORAL | PMEM_F_MEM_NODRAIN)</c> then <c>pmem_drain</c>.</summary>
    LibpmemNt,

    /// <summary><c>pmem_memcpy_persist</c>.</summary>
    LibpmemPersist,

    /// <summary><c>Buffer.MemoryCopy</c>: leaves the destination dirty in the cache; the upper reference.</summary>
    Memcpy,
}
