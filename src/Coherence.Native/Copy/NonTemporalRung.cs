namespace Coherence.Native.Copy;

/// <summary>A rung of the intrinsics ladder: the widest non-temporal store the native copy uses, in bytes.</summary>
public enum NonTemporalRung
{
    /// <summary>8-byte MOVNTI from general registers (SSE2, every x86-64): the kernel's own width.</summary>
    Scalar = 8,

    /// <summary>16-byte MOVNTDQ (SSE2).</summary>
    Sse2 = 16,

    /// <summary>32-byte VMOVNTDQ ymm (AVX).</summary>
    Avx = 32,

    /// <summary>64-byte VMOVNTDQ zmm (AVX-512F).</summary>
    Avx512 = 64,
}
