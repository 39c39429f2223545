namespace Coherence.Platform.Events;

/// <summary>
/// One state change of the machine. Fields that do not apply are -1 (indices) or 0. Passed by reference to
/// <see cref="IMachineObserver"/>; built only when an observer is attached.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Step">The machine step (instruction or operation number) during which it happened.</param>
/// <param name="Cpu">The CPU involved, or -1.</param>
/// <param name="Cache">The cache's name for cache events, or null.</param>
/// <param name="Address">The physical address (line address for line events; a device write gives its first byte, and Length spans to its last).</param>
/// <param name="Length">Bytes concerned.</param>
/// <param name="Device">The device involved, or -1.</param>
/// <param name="Dirty">For evictions and invalidations: whether the line was dirty.</param>
/// <param name="Origin">An origin id (the store's, or the first byte's for a load), or 0.</param>
/// <param name="Detail">Kind-specific detail (an instruction code, a count, a flag).</param>
public readonly record struct MachineEvent(
    EventKind Kind, long Step, int Cpu, string? Cache, ulong Address, int Length, int Device, bool Dirty, uint Origin, long Detail);
