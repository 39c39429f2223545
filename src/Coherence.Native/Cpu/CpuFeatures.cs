using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace Coherence.Native.Cpu;

/// <summary>
/// What the executing CPU offers for cache-bypassing copies and cache maintenance, read once from CPUID
/// (<see cref="X86Base.CpuId"/>) on x86 and x86-64. On other architectures every x86 feature reads
/// <see langword="false"/> and <see cref="Notes"/> says what is and is not available.
/// </summary>
/// <remarks>
/// The CPUID bits say what the processor implements. Whether the runtime may use the wide vector registers (the
/// operating system must save them) is a separate question that <see cref="Avx512FUsable"/> and
/// <see cref="AvxUsable"/> answer from the .NET runtime; the copy's intrinsics ladder follows those.
/// </remarks>
public sealed record CpuFeatures
{
    /// <summary>The features of the CPU this process runs on, detected once.</summary>
    public static CpuFeatures Current { get; } = Detect();

    /// <summary>The process architecture (X64, X86, Arm64, ...).</summary>
    public required Architecture Architecture { get; init; }

    /// <summary>True when CPUID could be executed (x86 or x86-64).</summary>
    public required bool HasCpuId { get; init; }

    /// <summary>The CPUID vendor string, e.g. <c>GenuineIntel</c> or <c>AuthenticAMD</c>; empty without CPUID.</summary>
    public required string Vendor { get; init; }

    /// <summary>CLFLUSH is implemented (CPUID.1:EDX bit 19).</summary>
    public required bool Clflush { get; init; }

    /// <summary>The line size CLFLUSH, CLFLUSHOPT and CLWB act on, in bytes (CPUID.1:EBX bits 15:8 × 8); 64 when unknown.</summary>
    public required int ClflushLineSize { get; init; }

    /// <summary>CLFLUSHOPT is implemented (CPUID.(7,0):EBX bit 23).</summary>
    public required bool ClflushOpt { get; init; }

    /// <summary>CLWB is implemented (CPUID.(7,0):EBX bit 24).</summary>
    public required bool Clwb { get; init; }

    /// <summary>SSE2 is implemented (CPUID.1:EDX bit 26): MOVNTI, MOVNTDQ, SFENCE.</summary>
    public required bool Sse2 { get; init; }

    /// <summary>AVX2 is implemented (CPUID.(7,0):EBX bit 5).</summary>
    public required bool Avx2 { get; init; }

    /// <summary>AVX-512 Foundation is implemented (CPUID.(7,0):EBX bit 16).</summary>
    public required bool Avx512F { get; init; }

    /// <summary>MOVDIR64B (64-byte direct store) is implemented (CPUID.(7,0):ECX bit 28).</summary>
    public required bool MovDir64B { get; init; }

    /// <summary>The hypervisor-present bit (CPUID.1:ECX bit 31): this CPU is virtual, a guest of a hypervisor.</summary>
    public required bool Hypervisor { get; init; }

    /// <summary>The runtime may use 32-byte AVX registers (CPU and operating system agree).</summary>
    public required bool AvxUsable { get; init; }

    /// <summary>The runtime may use 64-byte AVX-512 registers (CPU and operating system agree).</summary>
    public required bool Avx512FUsable { get; init; }

    /// <summary>Human-readable remarks, e.g. what a non-x86 architecture lacks.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>Reads the features of the executing CPU.</summary>
    public static CpuFeatures Detect()
    {
        var arch = RuntimeInformation.ProcessArchitecture;
        if (!X86Base.IsSupported)
        {
            return NonX86(arch);
        }

        var (maxLeaf, vb, vc, vd) = X86Base.CpuId(0, 0);
        var vendor = VendorString(vb, vd, vc);
        var (_, b1, c1, d1) = X86Base.CpuId(1, 0);
        int b7 = 0, c7 = 0;
        if (maxLeaf >= 7)
        {
            (_, b7, c7, _) = X86Base.CpuId(7, 0);
        }

        var clflush = Bit(d1, 19);
        var lineSize = clflush ? ((b1 >> 8) & 0xff) * 8 : 0;
        var notes = new List<string>();
        if (lineSize == 0)
        {
            notes.Add("CPUID reports no CLFLUSH line size; assuming 64 bytes");
            lineSize = 64;
        }

        return new CpuFeatures
        {
            Architecture = arch,
            HasCpuId = true,
            Vendor = vendor,
            Clflush = clflush,
            ClflushLineSize = lineSize,
            ClflushOpt = Bit(b7, 23),
            Clwb = Bit(b7, 24),
            Sse2 = Bit(d1, 26),
            Avx2 = Bit(b7, 5),
            Avx512F = Bit(b7, 16),
            MovDir64B = Bit(c7, 28),
            Hypervisor = Bit(c1, 31),
            AvxUsable = Avx.IsSupported,
            Avx512FUsable = System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
            Notes = notes,
        };
    }

    /// <summary>One line per feature, <c>name: yes|no</c>, then the notes.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.Append("architecture: ").Append(Architecture).Append('\n');
        if (HasCpuId)
        {
            sb.Append("vendor: ").Append(Vendor).Append('\n');
        }

        Line(sb, "clflush", Clflush);
        sb.Append("clflush line size: ").Append(ClflushLineSize).Append('\n');
        Line(sb, "clflushopt", ClflushOpt);
        Line(sb, "clwb", Clwb);
        Line(sb, "sse2", Sse2);
        Line(sb, "avx2", Avx2);
        Line(sb, "avx512f", Avx512F);
        Line(sb, "movdir64b", MovDir64B);
        Line(sb, "hypervisor", Hypervisor);
        foreach (var note in Notes)
        {
            sb.Append("note: ").Append(note).Append('\n');
        }

        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string name, bool value) =>
        sb.Append(name).Append(": ").Append(value ? "yes" : "no").Append('\n');

    private static bool Bit(int register, int bit) => ((register >> bit) & 1) != 0;

    private static string VendorString(int ebx, int edx, int ecx)
    {
        Span<byte> bytes = stackalloc byte[12];
        BitConverter.TryWriteBytes(bytes[..4], ebx);
        BitConverter.TryWriteBytes(bytes[4..8], edx);
        BitConverter.TryWriteBytes(bytes[8..], ecx);
        return Encoding.ASCII.GetString(bytes);
    }

    private static CpuFeatures NonX86(Architecture arch)
    {
        var notes = new List<string>
        {
            $"{arch} has no CPUID: CLFLUSH, CLFLUSHOPT, CLWB, MOVNTI/MOVNTDQ, AVX and MOVDIR64B are x86 instructions and are not available",
            "FlushCache.Copy, cache-line write-back and persistent-memory durability need x86-64 here; mapped files fall back to msync",
        };
        if (arch == Architecture.Arm64)
        {
            notes.Add(System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported
                ? "arm64 AdvSIMD is available (16-byte vectors), but .NET exposes no DC CVAP/DC CVAC cache maintenance"
                : "arm64 without AdvSIMD");
        }

        return new CpuFeatures
        {
            Architecture = arch,
            HasCpuId = false,
            Vendor = "",
            Clflush = false,
            ClflushLineSize = 64,
            ClflushOpt = false,
            Clwb = false,
            Sse2 = false,
            Avx2 = false,
            Avx512F = false,
            MovDir64B = false,
            Hypervisor = false,
            AvxUsable = false,
            Avx512FUsable = false,
            Notes = notes,
        };
    }
}
