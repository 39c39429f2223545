using Coherence.Platform.Addressing;

namespace Coherence.Checking.Scenarios;

/// <summary>A mapping in a CPU's address space (CPUs with mappings get their own space, starting from the identity map).</summary>
/// <param name="Cpu">The CPU.</param>
/// <param name="VirtualAddress">First virtual address.</param>
/// <param name="PhysicalAddress">First physical address.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Type">Memory type.</param>
/// <param name="Where">Source location.</param>
public sealed record MappingSpec(int Cpu, ulong VirtualAddress, ulong PhysicalAddress, ulong Size, MemoryType Type, SourceSpan Where);
