using Coherence.Platform.Devices;

namespace Coherence.Checking.Scenarios;

/// <summary>A device to create.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Kind">DRAM, NVDIMM or CXL type-3.</param>
/// <param name="Size">Capacity in bytes.</param>
/// <param name="Persistent">Whether the media survives power failure.</param>
/// <param name="Fill">What untouched bytes read as.</param>
/// <param name="LockedReads">What reads return while locked.</param>
/// <param name="Where">Source location.</param>
public sealed record DeviceSpec(string Name, DeviceKind Kind, ulong Size, bool Persistent, byte Fill, LockedReadMode LockedReads, SourceSpan Where);
