namespace Coherence.Platform.Events;

/// <summary>Every kind of state change the machine reports. The tag in a trace line is the kind's name in lower case.</summary>
public enum EventKind : byte
{
    /// <summary>A CPU load returned bytes (Length bytes at Address).</summary>
    Load,

    /// <summary>A store entered the CPU's store buffer.</summary>
    Store,

    /// <summary>The oldest store-buffer entry became globally visible (written into the CPU's L1, or to the device for UC/WT).</summary>
    StoreCommit,

    /// <summary>A non-temporal or write-combining store gathered into a write-combining buffer.</summary>
    WcGather,

    /// <summary>A write-combining buffer was written to the device.</summary>
    WcDrain,

    /// <summary>A line was filled into a cache (Detail: 1 when speculative).</summary>
    Fill,

    /// <summary>A line moved from a cache to the next level down (victim), Dirty says whether it was dirty.</summary>
    Evict,

    /// <summary>A dirty line was written to its device.</summary>
    WriteBack,

    /// <summary>A cached copy was invalidated (by a write elsewhere, a flush, WBINVD or an NT store).</summary>
    Invalidate,

    /// <summary>A CLFLUSH, CLFLUSHOPT or CLWB was executed (Detail: the instruction).</summary>
    FlushIssue,

    /// <summary>A CLFLUSHOPT or CLWB completed.</summary>
    FlushComplete,

    /// <summary>A fence (Detail: the instruction).</summary>
    Fence,

    /// <summary>A locked read-modify-write.</summary>
    LockedRmw,

    /// <summary>WBINVD or WBNOINVD on a CPU (Detail: 1 for WBNOINVD).</summary>
    Wbinvd,

    /// <summary>WBINVD in a guest, trapped by the hypervisor and ignored (KVM) or raising #VE (TDX).</summary>
    WbinvdTrapped,

    /// <summary>A MOVDIR64B direct store.</summary>
    DirectStore,

    /// <summary>A device was erased (secure erase, sanitize, overwrite): a new epoch.</summary>
    DeviceErase,

    /// <summary>An agent other than a CPU wrote straight to a device (DMA).</summary>
    DeviceWrite,

    /// <summary>A write to a locked device was dropped.</summary>
    WriteDropped,

    /// <summary>A device was locked or unlocked (Detail: 1 locked, 0 unlocked).</summary>
    DeviceLock,

    /// <summary>A media line was poisoned.</summary>
    PoisonLine,

    /// <summary>A physical range was re-pointed at another device.</summary>
    Retarget,

    /// <summary>The write-pending queue of a device drained to the media.</summary>
    QueueDrain,

    /// <summary>Power failed: volatile state was lost.</summary>
    PowerFail,

    /// <summary>A CPU consumed poison: machine check.</summary>
    MachineCheck,

    /// <summary>An access faulted (no mapping, or an alignment rule; Detail: the <see cref="AccessOutcome"/>).</summary>
    Fault,

    /// <summary>A write changed a line's TD ownership (Detail: the owning KeyID now, 0 for shared).</summary>
    TdOwnership,

    /// <summary>A partial write from outside the TD reached a TD-private line on an erratum platform: the line is poisoned.</summary>
    TdPartialWritePoison,

    /// <summary>A write reached memory carrying bytes older than those it replaced (Detail: how many), e.g. a dirty
    /// line cached under an old KeyID written back over data written since. Reported only on TDX platforms.</summary>
    OverwroteNewer,

    /// <summary>An AArch64 load, store, DC ZVA or fetch (Detail: instruction and effective memory type, see
    /// <see cref="Isa.Arm64.Arm64Trace"/>).</summary>
    Arm64Access,

    /// <summary>An AArch64 DC clean by VA, DSB or DMB (Detail: the instruction and barrier kind).</summary>
    Arm64Maintenance,

    /// <summary>A non-gathered write reached a device straight from a CPU, bypassing the caches (AArch64 Device
    /// stores).</summary>
    UncachedWrite,
}
