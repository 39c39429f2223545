using System.Runtime.Intrinsics.X86;

namespace Coherence.Native.Copy;

/// <summary>A rung as a type, so that <see cref="X86FlushCpu{TRung}"/> is specialised per rung by the JIT.</summary>
internal interface IRung
{
    static abstract int Width { get; }

    static abstract bool IsSupported { get; }
}

/// <summary>64-byte AVX-512 non-temporal stores.</summary>
internal readonly struct Avx512Rung : IRung
{
    public static int Width => 64;

    public static bool IsSupported => Avx512F.IsSupported;
}

/// <summary>32-byte AVX non-temporal stores.</summary>
internal readonly struct AvxRung : IRung
{
    public static int Width => 32;

    public static bool IsSupported => Avx.IsSupported;
}

/// <summary>16-byte SSE2 non-temporal stores.</summary>
internal readonly struct Sse2Rung : IRung
{
    public static int Width => 16;

    public static bool IsSupported => Sse2.IsSupported;
}

/// <summary>8-byte MOVNTI stores.</summary>
internal readonly struct ScalarRung : IRung
{
    public static int Width => 8;

    public static bool IsSupported => Sse2.X64.IsSupported;
}
