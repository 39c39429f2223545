namespace Coherence.Platform.Isa.Arm64;

/// <summary>The AArch64 instructions the platform model executes; carried in the events they produce.</summary>
public enum Arm64Instruction : byte
{
    /// <summary>LDR (and LDP/LDR Q): a data load.</summary>
    Ldr,

    /// <summary>STR (and STP/STR Q): a data store.</summary>
    Str,

    /// <summary>An instruction fetch (the model reads the 4 bytes; it has no instruction cache).</summary>
    Fetch,

    /// <summary>DC CVAC: clean data cache line by VA to the point of coherence.</summary>
    DcCvac,

    /// <summary>DC CVAP: clean data cache line by VA to the point of persistence (FEAT_DCPoP).</summary>
    DcCvap,

    /// <summary>DC CIVAC: clean and invalidate data cache line by VA to the point of coherence.</summary>
    DcCivac,

    /// <summary>DC IVAC: invalidate data cache line by VA to the point of coherence (dirty data is discarded).</summary>
    DcIvac,

    /// <summary>DC ZVA: zero a block (64 bytes in the model: DCZID_EL0.BS = 4) by VA.</summary>
    DcZva,

    /// <summary>DSB: data synchronisation barrier.</summary>
    Dsb,

    /// <summary>DMB: data memory barrier.</summary>
    Dmb,
}

/// <summary>The domain/type option of a DSB or DMB (only the access types matter to the model; the shareability
/// domain is always the whole machine).</summary>
public enum Arm64BarrierKind : byte
{
    /// <summary>SY (and ISH, OSH, NSH): loads and stores.</summary>
    Full,

    /// <summary>ST (ISHST, OSHST, NSHST): stores only.</summary>
    Stores,

    /// <summary>LD (ISHLD, OSHLD, NSHLD): loads only.</summary>
    Loads,
}

/// <summary>Assembler spellings.</summary>
public static class Arm64Instructions
{
    /// <summary>"LDR", "STR", "fetch", "DC CVAC", "DC CVAP", "DC CIVAC", "DC ZVA", "DSB", "DMB".</summary>
    public static string Mnemonic(this Arm64Instruction instruction) => instruction switch
    {
        Arm64Instruction.Ldr => "LDR",
        Arm64Instruction.Str => "STR",
        Arm64Instruction.Fetch => "fetch",
        Arm64Instruction.DcCvac => "DC CVAC",
        Arm64Instruction.DcCvap => "DC CVAP",
        Arm64Instruction.DcCivac => "DC CIVAC",
        Arm64Instruction.DcIvac => "DC IVAC",
        Arm64Instruction.DcZva => "DC ZVA",
        Arm64Instruction.Dsb => "DSB",
        _ => "DMB",
    };

    /// <summary>"SY", "ST" or "LD".</summary>
    public static string Option(this Arm64BarrierKind kind) => kind switch
    {
        Arm64BarrierKind.Full => "SY",
        Arm64BarrierKind.Stores => "ST",
        _ => "LD",
    };
}
