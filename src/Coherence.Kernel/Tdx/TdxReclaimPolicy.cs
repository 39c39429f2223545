namespace Coherence.Kernel.Tdx;

/// <summary>
/// How freed TDX private memory is cleaned before the kernel reuses it (policy <c>tdx-reclaim=</c>; spec 3.2, 3.3 and
/// 6.3): KVM's page removal (<c>tdh_phymem_page_wbinvd_hkid()</c> then <c>tdx_quirk_reset_page()</c>) and the PAMT
/// on init_tdx_module()'s error path (<c>wbinvd_on_all_cpus()</c> then the PAMT reset).
/// </summary>
public enum TdxReclaimPolicy
{
    /// <summary>Both: write back and drop the old KeyID's lines, then reset the memory (today's kernel).</summary>
    Upstream,

    /// <summary>Reset without the flush: dirty old-KeyID lines stay cached and may land on the page later.</summary>
    NoWbinvd,

    /// <summary>Flush without the reset: the lines reach memory TD-owned, and a partial write poisons them.</summary>
    NoReset,

    /// <summary>Neither.</summary>
    None,
}

/// <summary>Parsing of <see cref="TdxReclaimPolicy"/>.</summary>
public static class TdxReclaimPolicies
{
    /// <summary>Parses a variant name (<c>upstream</c>, <c>no-wbinvd</c>, <c>no-reset</c>, <c>none</c>).</summary>
    public static TdxReclaimPolicy Parse(string name) => name switch
    {
        "upstream" => TdxReclaimPolicy.Upstream,
        "no-wbinvd" => TdxReclaimPolicy.NoWbinvd,
        "no-reset" => TdxReclaimPolicy.NoReset,
        "none" => TdxReclaimPolicy.None,
        _ => throw new ArgumentException($"unknown tdx-reclaim variant '{name}': expected upstream, no-wbinvd, no-reset or none"),
    };

    /// <summary>True when the policy flushes the old KeyID's lines.</summary>
    public static bool Flushes(this TdxReclaimPolicy p) => p is TdxReclaimPolicy.Upstream or TdxReclaimPolicy.NoReset;

    /// <summary>True when the policy resets the memory.</summary>
    public static bool Resets(this TdxReclaimPolicy p) => p is TdxReclaimPolicy.Upstream or TdxReclaimPolicy.NoWbinvd;
}
