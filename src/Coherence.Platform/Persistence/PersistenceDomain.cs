namespace Coherence.Platform.Persistence;

/// <summary>What survives a power failure on persistent devices.</summary>
public enum PersistenceDomain
{
    /// <summary>Only the media: writes still in a device's write-pending queue are lost unless drained (flush hint).</summary>
    None,

    /// <summary>Asynchronous DRAM refresh: the memory controller's write-pending queue is flushed on power failure;
    /// CPU caches, store buffers and write-combining buffers are lost.</summary>
    Adr,

    /// <summary>Extended ADR: the CPU caches are flushed too; store buffers and write-combining buffers are still lost.</summary>
    Eadr,
}
