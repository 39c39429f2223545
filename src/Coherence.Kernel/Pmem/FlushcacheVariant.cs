namespace Coherence.Kernel.Pmem;

/// <summary>Which copy stands behind <c>memcpy_flushcache</c> and <c>copy_from_iter_flushcache</c> (policy <c>flushcache=</c>).</summary>
public enum FlushcacheVariant
{
    /// <summary>x86-64 with CONFIG_ARCH_HAS_UACCESS_FLUSHCACHE: MOVNTI body, cached edges written back with CLWB.</summary>
    X86,

    /// <summary>Without the capability: <c>_copy_from_iter_nocache</c> (non-temporal body for user iovecs only, no edge write-back) and plain memcpy.</summary>
    NocacheFallback,

    /// <summary>Everything copied with ordinary cached stores and nothing written back (no flushcache at all).</summary>
    Memcpy,

    /// <summary>arm64 (ARM64_PMEM): memcpy then DC CVAP on each line (clean to the point of persistence) and DSB, on
    /// an AArch64 CPU; the kernel's alternative falls back to DC CVAC on a CPU without FEAT_DCPoP.</summary>
    Arm64Cvap,

    /// <summary>arm64 on a CPU without ARM64_HAS_DCPOP: memcpy then DC CVAC on each line (clean only to the point of
    /// coherence) and DSB, on an AArch64 CPU.</summary>
    Arm64Cvac,
}

/// <summary>Names of <see cref="FlushcacheVariant"/> as scenario policies spell them.</summary>
public static class FlushcacheVariants
{
    /// <summary>Parses a policy variant (<c>x86</c>, <c>nocache-fallback</c>, <c>memcpy</c>, <c>arm64-cvap</c>, <c>arm64-cvac</c>).</summary>
    public static FlushcacheVariant Parse(string name) => name switch
    {
        "x86" => FlushcacheVariant.X86,
        "nocache-fallback" => FlushcacheVariant.NocacheFallback,
        "memcpy" => FlushcacheVariant.Memcpy,
        "arm64-cvap" => FlushcacheVariant.Arm64Cvap,
        "arm64-cvac" => FlushcacheVariant.Arm64Cvac,
        _ => throw new ArgumentException($"unknown flushcache variant '{name}': expected x86, nocache-fallback, memcpy, arm64-cvap or arm64-cvac"),
    };
}
