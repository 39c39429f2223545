namespace Coherence.Kernel.Tdx;

/// <summary>How TDX private memory is made safe before kexec (policy <c>tdx-kexec=</c>; spec 3.4).</summary>
public enum TdxKexecPolicy
{
    /// <summary>What landed (v6.17/6.18): kexec and kdump refused with -EOPNOTSUPP on erratum platforms; a per-CPU
    /// <c>cache_state_incoherent</c> flag set before every SEAMCALL makes stop_this_cpu and relocate_kernel WBINVD.</summary>
    Upstream,

    /// <summary>The seed (Kai Huang's series v2–v4): unconditional WBINVD on the stop and relocate paths, and
    /// <c>tdx_reset_memory()</c> in machine_kexec: WBINVD, the memory-reset notifier chain (KVM resets its private
    /// pages with MOVDIR64B), then the PAMT reset.</summary>
    SeedNotifier,

    /// <summary>The series' first version: as <see cref="SeedNotifier"/> but without the notifier: only PAMT is reset.</summary>
    PamtOnly,

    /// <summary>Before any of it: no reset, and WBINVD on the stop and relocate paths only when SME is active (never on
    /// these Intel hosts).</summary>
    None,
}

/// <summary>Parsing of <see cref="TdxKexecPolicy"/>.</summary>
public static class TdxKexecPolicies
{
    /// <summary>Parses a variant name (<c>upstream</c>, <c>seed-notifier</c>, <c>pamt-only</c>, <c>none</c>).</summary>
    public static TdxKexecPolicy Parse(string name) => name switch
    {
        "upstream" => TdxKexecPolicy.Upstream,
        "seed-notifier" => TdxKexecPolicy.SeedNotifier,
        "pamt-only" => TdxKexecPolicy.PamtOnly,
        "none" => TdxKexecPolicy.None,
        _ => throw new ArgumentException($"unknown tdx-kexec variant '{name}': expected upstream, seed-notifier, pamt-only or none"),
    };
}
