namespace Coherence.Platform;

/// <summary>A machine check: a CPU consumed a poisoned byte.</summary>
/// <param name="Step">The step of the consuming load.</param>
/// <param name="Cpu">The CPU.</param>
/// <param name="Address">The physical address of the first poisoned byte.</param>
/// <param name="Origin">The poison's origin id.</param>
public readonly record struct MachineCheckRecord(long Step, int Cpu, ulong Address, uint Origin);
