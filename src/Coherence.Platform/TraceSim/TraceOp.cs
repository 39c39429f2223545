namespace Coherence.Platform.TraceSim;

/// <summary>
/// What one trace record asks for. Values 0–5 are Dinero IV's access types (its <c>din</c> labels); the rest are
/// Coherence's cache-maintenance extensions.
/// </summary>
public enum TraceOp : byte
{
    /// <summary>Data read (din label 0).</summary>
    Read = 0,

    /// <summary>Data write (din label 1).</summary>
    Write = 1,

    /// <summary>Instruction fetch (din label 2).</summary>
    InstructionFetch = 2,

    /// <summary>Miscellaneous access, counted apart but handled like a read (din label 3).</summary>
    Misc = 3,

    /// <summary>Copy back the dirty block holding the address, without invalidating it, at every level (din label 4);
    /// a size of 0 copies back the whole cache.</summary>
    CopyBack = 4,

    /// <summary>Invalidate the block holding the address at every level, discarding dirty data (din label 5);
    /// a size of 0 invalidates the whole cache.</summary>
    Invalidate = 5,

    /// <summary>x86 CLFLUSH: write the line back to memory if dirty anywhere, then invalidate it everywhere (label 6).</summary>
    Clflush = 6,

    /// <summary>x86 CLFLUSHOPT: as <see cref="Clflush"/> in a trace, where no ordering is simulated (label 7).</summary>
    Clflushopt = 7,

    /// <summary>x86 CLWB: write the line back to memory if dirty anywhere, keeping it cached clean (label 8).</summary>
    Clwb = 8,

    /// <summary>Non-temporal store (MOVNTI/MOVNTDQ): evicts the line from every cache (writing back dirty data) and
    /// writes the bytes straight to memory (label 9).</summary>
    NonTemporalStore = 9,

    /// <summary>x86 WBINVD: write back and invalidate every cache of the executing core and the shared caches (label a).</summary>
    Wbinvd = 10,
}
