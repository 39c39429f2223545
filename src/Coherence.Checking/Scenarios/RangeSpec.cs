using Coherence.Platform.Addressing;

namespace Coherence.Checking.Scenarios;

/// <summary>A physical address range backed by a device.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Kind">System RAM, persistent memory, CXL window or reserved.</param>
/// <param name="Start">First physical address.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Device">The backing device's name.</param>
/// <param name="DeviceOffset">Offset in the device.</param>
/// <param name="Where">Source location.</param>
public sealed record RangeSpec(string Name, ResourceKind Kind, ulong Start, ulong Size, string Device, ulong DeviceOffset, SourceSpan Where);
