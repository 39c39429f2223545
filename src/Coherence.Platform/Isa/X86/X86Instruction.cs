namespace Coherence.Platform.Isa.X86;

/// <summary>Instruction codes carried in events' Detail field.</summary>
public enum X86Instruction
{
    /// <summary>CLFLUSH.</summary>
    Clflush,

    /// <summary>CLFLUSHOPT.</summary>
    ClflushOpt,

    /// <summary>CLWB.</summary>
    Clwb,

    /// <summary>SFENCE.</summary>
    Sfence,

    /// <summary>MFENCE.</summary>
    Mfence,

    /// <summary>LFENCE.</summary>
    Lfence,
}
