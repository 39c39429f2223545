namespace Coherence.Kernel.Kvm;

/// <summary>Which kernel's arm64 stage-2 memory-type logic the model runs (scenario spelling <c>kvm-s2=…</c>).</summary>
public enum KvmS2Policy
{
    /// <summary><c>pre-6.8</c>: memory is Device iff <c>!pfn_is_map_memory(pfn)</c>; the VMA is ignored.</summary>
    Pre68,

    /// <summary><c>6.8</c>: as before, but a VM_ALLOW_ANY_UNCACHED VMA gets Normal-NC instead of Device.</summary>
    V68,

    /// <summary><c>6.17</c>: cacheability comes from the VMA; a cacheable PFNMAP is mapped Normal-WB when the CPUs
    /// have FWB and DIC (-EFAULT at fault, -EINVAL at memslot creation otherwise); the KVM cap reports it.</summary>
    V617,
}

/// <summary>Names of <see cref="KvmS2Policy"/> values as scenarios write them.</summary>
public static class KvmS2Policies
{
    /// <summary>Every policy, oldest first.</summary>
    public static IReadOnlyList<KvmS2Policy> All { get; } = [KvmS2Policy.Pre68, KvmS2Policy.V68, KvmS2Policy.V617];

    /// <summary>"pre-6.8", "6.8" or "6.17".</summary>
    public static string ToPolicyString(this KvmS2Policy policy) => policy switch
    {
        KvmS2Policy.Pre68 => "pre-6.8",
        KvmS2Policy.V68 => "6.8",
        KvmS2Policy.V617 => "6.17",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };

    /// <summary>Parses "pre-6.8", "6.8" or "6.17" (exact spelling).</summary>
    public static bool TryParse(string text, out KvmS2Policy policy)
    {
        foreach (var p in All)
        {
            if (p.ToPolicyString() == text)
            {
                policy = p;
                return true;
            }
        }

        policy = default;
        return false;
    }
}
