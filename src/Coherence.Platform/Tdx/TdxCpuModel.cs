namespace Coherence.Platform.Tdx;

/// <summary>The TDX-capable server CPUs the model knows (the kernel tells them apart by x86_vfm).</summary>
public enum TdxCpuModel
{
    /// <summary>4th-generation Xeon (INTEL_SAPPHIRERAPIDS_X): has the partial-write erratum.</summary>
    SapphireRapids,

    /// <summary>5th-generation Xeon (INTEL_EMERALDRAPIDS_X): has the partial-write erratum.</summary>
    EmeraldRapids,

    /// <summary>Xeon 6 (Granite Rapids): no partial-write erratum.</summary>
    GraniteRapids,
}
