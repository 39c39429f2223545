namespace Coherence.Platform;

/// <summary>
/// Which instruction set a platform's software uses. The caches, devices, buffers and persistence domain are the
/// same for both; the machine offers <see cref="Machine.X86"/> and <see cref="Machine.Arm64"/> on every core, and the
/// layers above (scenarios, the kernel model) use the one the platform names.
/// </summary>
public enum InstructionSet
{
    /// <summary>x86-64: PAT memory types, TSO store buffer, CLFLUSH/CLWB, SFENCE, WBINVD.</summary>
    X86,

    /// <summary>AArch64: stage-1 and stage-2 memory types, DC cache maintenance, DSB.</summary>
    Arm64,
}
