namespace Coherence.Native.Mapping;

/// <summary>How a <see cref="PersistentMapping"/> makes stores durable.</summary>
public enum MappingMode
{
    /// <summary>
    /// A DAX file on persistent memory mapped with <c>MAP_SHARED_VALIDATE | MAP_SYNC</c>: the file system keeps its
    /// metadata synchronous on page faults, so a cache-line write-back plus a store fence is enough for durability
    /// (libpmem's <c>pmem_persist</c>), with no system call.
    /// </summary>
    SynchronousFaults,

    /// <summary>
    /// An ordinary shared mapping of the page cache: durability needs <c>msync(MS_SYNC)</c> (libpmem's
    /// <c>pmem_msync</c>); cache-line write-backs alone would not reach the storage.
    /// </summary>
    Msync,
}
