namespace Coherence.Platform.Devices;

/// <summary>The kinds of memory device the platform models.</summary>
public enum DeviceKind
{
    /// <summary>Volatile DRAM.</summary>
    Dram,

    /// <summary>A persistent NVDIMM.</summary>
    Nvdimm,

    /// <summary>A CXL type-3 memory expander (volatile or persistent).</summary>
    CxlType3,
}
