namespace Coherence.Kernel.Tdx;

/// <summary>A TD as KVM sees it: its HKID, the CPU its vCPU runs on, and its private pages (per-GFN attributes;
/// the model identity-maps GFN to PFN).</summary>
public sealed class KvmTd
{
    internal KvmTd(string name, int hkid, int cpu, IPrivatePageTracker pages)
    {
        Name = name;
        Hkid = hkid;
        Cpu = cpu;
        Pages = pages;
    }

    /// <summary>The TD's name in the scenario.</summary>
    public string Name { get; }

    /// <summary>The TD's private host KeyID.</summary>
    public int Hkid { get; }

    /// <summary>The CPU the TD's vCPU runs on.</summary>
    public int Cpu { get; }

    /// <summary>The TD's private pages, by PFN (KVM's xarray of memory attributes).</summary>
    public IPrivatePageTracker Pages { get; }

    /// <summary>True once the TD is torn down (kexec, or destroy).</summary>
    public bool Gone { get; internal set; }
}
