namespace Coherence.Platform.Cpus;

/// <summary>Whether a CPU runs a host kernel or a guest, and under which hypervisor.</summary>
public enum GuestKind
{
    /// <summary>Bare metal (or the host): no hypervisor bit.</summary>
    Host,

    /// <summary>A KVM guest: the hypervisor CPUID bit is set; WBINVD exits to the hypervisor and is ignored.</summary>
    KvmGuest,

    /// <summary>A TDX guest (TD): WBINVD raises a virtualization exception (#VE).</summary>
    TdxGuest,
}
