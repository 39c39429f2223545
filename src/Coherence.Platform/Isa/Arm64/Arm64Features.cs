namespace Coherence.Platform.Isa.Arm64;

/// <summary>
/// The optional AArch64 features the model's CPUs may implement (what the ID registers say; the kernel turns them into
/// its <c>ARM64_HAS_*</c> capabilities). Every core of a platform has the same set.
/// </summary>
[Flags]
public enum Arm64Features
{
    /// <summary>None of them.</summary>
    None = 0,

    /// <summary>FEAT_S2FWB (ID_AA64MMFR2_EL1.FWB): stage 2 can force a Normal write-back type over stage 1's, and the
    /// stage-2 MemAttr field is read with the FWB encodings when HCR_EL2.FWB is set.</summary>
    Fwb = 1 << 0,

    /// <summary>CTR_EL0.DIC: instruction caches need no invalidation to the point of unification for coherence with
    /// data (the model has no instruction cache; the flag is carried for the kernel's decisions).</summary>
    Dic = 1 << 1,

    /// <summary>FEAT_DCPoP (ID_AA64ISAR1_EL1.DPB): <c>DC CVAP</c>, clean to the point of persistence. Without it
    /// <c>DC CVAP</c> is an undefined instruction.</summary>
    DcPop = 1 << 2,

    /// <summary>All of them: what a current server core (Neoverse V2, as in Grace) reports.</summary>
    All = Fwb | Dic | DcPop,
}
