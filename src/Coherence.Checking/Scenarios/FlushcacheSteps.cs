using Coherence.Kernel.Pmem;

namespace Coherence.Checking.Scenarios;

/// <summary><c>pmem-namespace NAME over RANGE [flush-hints=N]</c>: attaches the pmem driver to a persistent-memory range.</summary>
/// <param name="Label">The step's label, or null.</param>
/// <param name="Where">Source location.</param>
/// <param name="Name">The namespace's name.</param>
/// <param name="Range">The range it covers (persistent memory backed by an NVDIMM).</param>
/// <param name="FlushHints">Flush-hint addresses of the DIMM (num_flush).</param>
public sealed record PmemNamespaceStep(string? Label, SourceSpan Where, string Name, string Range, int FlushHints) : StepSpec(Label, Where);

/// <summary>The flushcache and pmem operations a CPU can run.</summary>
public enum FlushcacheOp
{
    /// <summary><c>memcpy_flushcache(dst, data, n)</c> (with <c>constant</c>: the inline 4/8/16-byte fast path).</summary>
    MemcpyFlushcache,

    /// <summary><c>copy_from_iter_flushcache(dst, n, iter)</c>.</summary>
    CopyFromIter,

    /// <summary><c>write()</c> to the DAX file on a namespace.</summary>
    DaxWrite,

    /// <summary>Stores through a shared mmap of the DAX file: cached stores, the pages tagged dirty, no durability promise.</summary>
    DaxMmapWrite,

    /// <summary><c>fsync()</c> of the DAX file (a durability point).</summary>
    Fsync,

    /// <summary>A write bio submitted to the pmem driver, optionally with PREFLUSH and FUA (a durability point with either).</summary>
    BioWrite,

    /// <summary>An empty PREFLUSH bio (a durability point for earlier writes).</summary>
    BioFlush,
}

/// <summary>A flushcache or pmem operation on a CPU.</summary>
/// <param name="Label">The step's label, or null.</param>
/// <param name="Where">Source location.</param>
/// <param name="Cpu">The CPU that runs it.</param>
/// <param name="Op">The operation.</param>
/// <param name="Namespace">The namespace (pmem operations), or null.</param>
/// <param name="Address">Destination address (copies), file offset (dax-write, dax-mmap-write) or sector (bio-write).</param>
/// <param name="Data">The bytes written.</param>
/// <param name="Iter">The iterator kind of the source (copy-from-iter, dax-write).</param>
/// <param name="FaultAt">First unreadable byte of a user source, or -1.</param>
/// <param name="Constant">memcpy-flushcache: the length is a compile-time constant.</param>
/// <param name="Preflush">bio-write: REQ_PREFLUSH.</param>
/// <param name="Fua">bio-write: REQ_FUA.</param>
public sealed record FlushcacheStep(string? Label, SourceSpan Where, int Cpu, FlushcacheOp Op, string? Namespace, ulong Address, byte[] Data,
    IovIterKind Iter = IovIterKind.UserIovec, int FaultAt = -1, bool Constant = false, bool Preflush = false, bool Fua = false) : StepSpec(Label, Where);
