using Coherence.Platform.Addressing;

namespace Coherence.Checking.Scenarios;

/// <summary>A mapping in a CPU's address space (CPUs with mappings get their own space, starting from the identity map).</summary>
/// <param name="Cpu">The CPU.</param>
/// <param name="VirtualAddress">First virtual address.</param>
/// <param name="PhysicalAddress">First physical address.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Type">Memory type (x86).</param>
/// <param name="Where">Source location.</param>
public sealed record MappingSpec(int Cpu, ulong VirtualAddress, ulong PhysicalAddress, ulong Size, MemoryType Type, SourceSpan Where)
{
    /// <summary>On an arm64 platform: the stage-1 memory type (<see cref="Type"/> is then unused), and the physical
    /// address is an intermediate physical address when the CPU runs a guest.</summary>
    public Arm64MemoryType? Arm64Type { get; init; }
}
