using System.Collections.Frozen;

namespace Coherence.Text.Litmus.Syntax;

/// <summary>Properties of a mnemonic that the parser checks.</summary>
[Flags]
public enum MnemonicTraits
{
    /// <summary>No special property.</summary>
    None = 0,

    /// <summary>x86: the instruction may carry the <c>LOCK</c> prefix.</summary>
    Lockable = 1,

    /// <summary>AArch64: the first operand is a named option (<c>DMB SY</c>, <c>DC CVAP, X1</c>).</summary>
    LeadingOption = 2,

    /// <summary>The last operand is a branch target label.</summary>
    Branch = 4,
}

/// <summary>One entry of an architecture's mnemonic table.</summary>
/// <param name="Name">The mnemonic in its normalised spelling.</param>
/// <param name="MinOperands">The fewest operands it takes.</param>
/// <param name="MaxOperands">The most operands it takes.</param>
/// <param name="Traits">What else the parser checks.</param>
/// <param name="Options">The accepted options when <see cref="MnemonicTraits.LeadingOption"/> is set, else empty.</param>
/// <param name="Family">
/// The upper-case mnemonic without an AT&amp;T size suffix, the same in both x86 syntaxes (<c>movl</c> → <c>MOV</c>,
/// <c>xaddq</c> → <c>XADD</c>); equal to <see cref="Name"/> for X86 and AArch64.
/// </param>
/// <param name="SuffixBytes">The operand size an AT&amp;T suffix states (<c>b</c> 1, <c>w</c> 2, <c>l</c> 4, <c>q</c> 8), else 0.</param>
public sealed record MnemonicInfo(
    string Name,
    int MinOperands,
    int MaxOperands,
    MnemonicTraits Traits,
    SyntaxList<string> Options,
    string Family,
    int SuffixBytes);

/// <summary>
/// The mnemonics and registers the litmus parser accepts for one architecture. This is the one place that lists
/// them; the execution engine decides separately which of them it can run.
/// </summary>
public sealed class InstructionSet
{
    private static readonly SyntaxList<string> NoOptions = SyntaxList<string>.Empty;
    private static readonly SyntaxList<string> BarrierOptions =
        ["SY", "ST", "LD", "ISH", "ISHST", "ISHLD", "NSH", "NSHST", "NSHLD", "OSH", "OSHST", "OSHLD"];
    private static readonly SyntaxList<string> CacheOptions =
        ["CVAC", "CVAP", "CVADP", "CVAU", "CIVAC", "IVAC", "ZVA", "CISW", "CSW", "ISW"];
    private static readonly string[] ConditionCodes =
        ["EQ", "NE", "CS", "HS", "CC", "LO", "MI", "PL", "VS", "VC", "HI", "LS", "GE", "LT", "GT", "LE", "AL"];

    private readonly FrozenDictionary<string, MnemonicInfo> mnemonics;
    private readonly FrozenSet<string> registers;

    private InstructionSet(Architecture architecture, IEnumerable<MnemonicInfo> mnemonics, IEnumerable<string> registers)
    {
        Architecture = architecture;
        this.mnemonics = mnemonics.ToFrozenDictionary(m => m.Name, StringComparer.OrdinalIgnoreCase);
        this.registers = registers.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The X86 (Intel syntax) table.</summary>
    public static InstructionSet X86 { get; } = new(Architecture.X86, X86Mnemonics(), X86Registers());

    /// <summary>The X86_64 (AT&amp;T syntax) table: x86 mnemonics with and without size suffixes.</summary>
    public static InstructionSet X86_64 { get; } = new(Architecture.X86_64, AttMnemonics(), X86Registers());

    /// <summary>The AArch64 table.</summary>
    public static InstructionSet AArch64 { get; } = new(Architecture.AArch64, Arm64Mnemonics(), Arm64Registers());

    /// <summary>The architecture this table describes.</summary>
    public Architecture Architecture { get; }

    /// <summary>Every known mnemonic, in normalised spelling.</summary>
    public IEnumerable<string> Mnemonics => mnemonics.Keys;

    /// <summary>Returns the table of an architecture.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns>Its table.</returns>
    public static InstructionSet For(Architecture architecture) => architecture switch
    {
        Architecture.X86 => X86,
        Architecture.X86_64 => X86_64,
        _ => AArch64,
    };

    /// <summary>Looks a mnemonic up, ignoring case.</summary>
    /// <param name="mnemonic">The mnemonic as written.</param>
    /// <param name="info">The entry when found.</param>
    /// <returns><see langword="true"/> when the mnemonic is known.</returns>
    public bool TryGetMnemonic(string mnemonic, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MnemonicInfo? info) =>
        mnemonics.TryGetValue(mnemonic, out info);

    /// <summary>Whether a name (without AT&amp;T's <c>%</c>) is a register of this architecture, ignoring case.</summary>
    /// <param name="name">The candidate.</param>
    /// <returns><see langword="true"/> for a register.</returns>
    public bool IsRegister(string name) => registers.Contains(name);

    /// <summary>Normalises the case of a register or mnemonic: lower for X86_64, upper otherwise.</summary>
    /// <param name="name">The name as written.</param>
    /// <returns>The canonical spelling.</returns>
    public string Normalize(string name) =>
        Architecture == Architecture.X86_64 ? name.ToLowerInvariant() : name.ToUpperInvariant();

    private static MnemonicInfo M(string name, int min, int max, MnemonicTraits traits = MnemonicTraits.None) =>
        new(name, min, max, traits, NoOptions, name, 0);

    private static MnemonicInfo WithOptions(string name, int min, int max, SyntaxList<string> options) =>
        new(name, min, max, MnemonicTraits.LeadingOption, options, name, 0);

    private static IEnumerable<MnemonicInfo> X86Mnemonics()
    {
        const MnemonicTraits L = MnemonicTraits.Lockable;
        const MnemonicTraits B = MnemonicTraits.Branch;
        return
        [
            M("MOV", 2, 2), M("MOVNTI", 2, 2), M("MOVNTDQ", 2, 2), M("MOVDIR64B", 2, 2),
            M("XCHG", 2, 2, L), M("XADD", 2, 2, L), M("CMPXCHG", 2, 2, L),
            M("ADD", 2, 2, L), M("SUB", 2, 2, L), M("XOR", 2, 2, L), M("AND", 2, 2, L), M("OR", 2, 2, L),
            M("INC", 1, 1, L), M("DEC", 1, 1, L), M("CMP", 2, 2),
            M("MFENCE", 0, 0), M("SFENCE", 0, 0), M("LFENCE", 0, 0),
            M("CLFLUSH", 1, 1), M("CLFLUSHOPT", 1, 1), M("CLWB", 1, 1), M("WBINVD", 0, 0), M("WBNOINVD", 0, 0),
            M("JMP", 1, 1, B), M("JE", 1, 1, B), M("JNE", 1, 1, B), M("JZ", 1, 1, B), M("JNZ", 1, 1, B),
            M("NOP", 0, 0),
        ];
    }

    private static IEnumerable<MnemonicInfo> AttMnemonics()
    {
        (string Suffix, int Bytes)[] suffixes = [("", 0), ("b", 1), ("w", 2), ("l", 4), ("q", 8)];
        var list = new List<MnemonicInfo>();
        foreach (var entry in X86Mnemonics())
        {
            var lower = entry.Name.ToLowerInvariant();
            var sized = entry.MinOperands > 0 && (entry.Traits & MnemonicTraits.Branch) == 0
                && lower is not ("clflush" or "clflushopt" or "clwb" or "movdir64b" or "movntdq");
            if (!sized)
            {
                list.Add(entry with { Name = lower });
                continue;
            }

            foreach (var (suffix, bytes) in suffixes)
            {
                list.Add(entry with { Name = lower + suffix, SuffixBytes = bytes });
            }
        }

        return list;
    }

    private static IEnumerable<MnemonicInfo> Arm64Mnemonics()
    {
        const MnemonicTraits B = MnemonicTraits.Branch;
        var list = new List<MnemonicInfo>
        {
            M("MOV", 2, 2), M("LDR", 2, 2), M("STR", 2, 2), M("LDAR", 2, 2), M("LDAPR", 2, 2), M("STLR", 2, 2),
            M("LDXR", 2, 2), M("LDAXR", 2, 2), M("STXR", 3, 3), M("STLXR", 3, 3),
            M("ADD", 3, 3), M("SUB", 3, 3), M("EOR", 3, 3), M("AND", 3, 3), M("ORR", 3, 3), M("CMP", 2, 2),
            M("CBZ", 2, 2, B), M("CBNZ", 2, 2, B), M("B", 1, 1, B), M("NOP", 0, 0),
            WithOptions("DMB", 1, 1, BarrierOptions),
            WithOptions("DSB", 1, 1, BarrierOptions),
            WithOptions("ISB", 0, 1, ["SY"]),
            WithOptions("DC", 2, 2, CacheOptions),
        };
        foreach (var code in ConditionCodes)
        {
            list.Add(M("B." + code, 1, 1, B));
        }

        return list;
    }

    private static IEnumerable<string> X86Registers()
    {
        string[] legacy = ["AX", "BX", "CX", "DX", "SI", "DI", "BP", "SP"];
        foreach (var r in legacy)
        {
            yield return r;
            yield return "E" + r;
            yield return "R" + r;
        }

        yield return "EIP";
        yield return "RIP";

        string[] bytes = ["AL", "BL", "CL", "DL", "AH", "BH", "CH", "DH", "SIL", "DIL", "BPL", "SPL"];
        foreach (var r in bytes)
        {
            yield return r;
        }

        for (var i = 8; i <= 15; i++)
        {
            yield return $"R{i}";
            yield return $"R{i}D";
            yield return $"R{i}W";
            yield return $"R{i}B";
        }

        for (var i = 0; i <= 15; i++)
        {
            yield return $"XMM{i}";
        }
    }

    private static IEnumerable<string> Arm64Registers()
    {
        for (var i = 0; i <= 30; i++)
        {
            yield return $"W{i}";
            yield return $"X{i}";
        }

        yield return "WZR";
        yield return "XZR";
        yield return "SP";
        yield return "WSP";
    }
}
