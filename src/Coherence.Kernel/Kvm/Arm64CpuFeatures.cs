using Coherence.Platform.Isa.Arm64;

namespace Coherence.Kernel.Kvm;

/// <summary>The arm64 CPU capabilities the stage-2 code and the pmem code test (cpus_have_final_cap).</summary>
[Flags]
public enum Arm64CpuFeatures
{
    /// <summary>None of them.</summary>
    None = 0,

    /// <summary>ARM64_HAS_STAGE2_FWB (FEAT_S2FWB): stage 2 can force write-back, and KVM runs with HCR_EL2.FWB=1.</summary>
    Fwb = 1 << 0,

    /// <summary>ARM64_HAS_CACHE_DIC (CTR_EL0.DIC): no instruction-cache invalidation needed for coherence.</summary>
    Dic = 1 << 1,

    /// <summary>ARM64_HAS_DCPOP (FEAT_DCPoP): DC CVAP, clean to the point of persistence.</summary>
    DcPop = 1 << 2,
}

/// <summary>Questions the kernel asks of <see cref="Arm64CpuFeatures"/>.</summary>
public static class Arm64CpuFeatureSet
{
    /// <summary>True when every feature in <paramref name="wanted"/> is present.</summary>
    public static bool HasAll(this Arm64CpuFeatures features, Arm64CpuFeatures wanted) => (features & wanted) == wanted;

    /// <summary>
    /// The capabilities the kernel finds at boot (arch/arm64/kernel/cpufeature.c) on a platform whose cores implement
    /// <paramref name="hardware"/>: ID_AA64MMFR2_EL1.FWB gives ARM64_HAS_STAGE2_FWB, CTR_EL0.DIC ARM64_HAS_CACHE_DIC,
    /// ID_AA64ISAR1_EL1.DPB ARM64_HAS_DCPOP.
    /// </summary>
    public static Arm64CpuFeatures Detect(Arm64Features hardware) =>
        ((hardware & Arm64Features.Fwb) != 0 ? Arm64CpuFeatures.Fwb : Arm64CpuFeatures.None)
        | ((hardware & Arm64Features.Dic) != 0 ? Arm64CpuFeatures.Dic : Arm64CpuFeatures.None)
        | ((hardware & Arm64Features.DcPop) != 0 ? Arm64CpuFeatures.DcPop : Arm64CpuFeatures.None);

    /// <summary><c>kvm_supports_cacheable_pfnmap()</c>: ARM64_HAS_STAGE2_FWB and ARM64_HAS_CACHE_DIC.</summary>
    public static bool SupportsCacheablePfnmap(this Arm64CpuFeatures features) =>
        features.HasAll(Arm64CpuFeatures.Fwb | Arm64CpuFeatures.Dic);
}
