using Coherence.Platform.Addressing;

namespace Coherence.Kernel.Kvm;

/// <summary>arm64 stage-1 MAIR indices (AttrIndx) as Linux programs MAIR_EL1 (asm/memory.h).</summary>
public enum MairAttrIndx
{
    /// <summary>MT_NORMAL: Normal-WB.</summary>
    Normal = 0,

    /// <summary>MT_NORMAL_TAGGED: Normal-WB with MTE tags.</summary>
    NormalTagged = 1,

    /// <summary>MT_NORMAL_NC: Normal-NC (pgprot_writecombine).</summary>
    NormalNC = 2,

    /// <summary>MT_DEVICE_nGnRnE (pgprot_noncached).</summary>
    DeviceNGnRnE = 3,

    /// <summary>MT_DEVICE_nGnRE (pgprot_device).</summary>
    DeviceNGnRE = 4,
}

/// <summary>A VMA's page protection (<c>vm_page_prot</c>), reduced to its memory-attribute index.</summary>
/// <param name="AttrIndx">The stage-1 MAIR index.</param>
public readonly record struct PgProt(MairAttrIndx AttrIndx)
{
    /// <summary>PAGE_KERNEL-style cacheable memory (MT_NORMAL).</summary>
    public static PgProt Normal => new(MairAttrIndx.Normal);

    /// <summary>pgprot_writecombine: MT_NORMAL_NC.</summary>
    public static PgProt WriteCombine => new(MairAttrIndx.NormalNC);

    /// <summary>pgprot_device: MT_DEVICE_nGnRE.</summary>
    public static PgProt Device => new(MairAttrIndx.DeviceNGnRE);

    /// <summary>pgprot_noncached: MT_DEVICE_nGnRnE.</summary>
    public static PgProt NonCached => new(MairAttrIndx.DeviceNGnRnE);

    /// <summary>The memory type MAIR_EL1 gives the index.</summary>
    public Arm64MemoryType MemoryType => AttrIndx switch
    {
        MairAttrIndx.Normal or MairAttrIndx.NormalTagged => Arm64MemoryType.NormalWB,
        MairAttrIndx.NormalNC => Arm64MemoryType.NormalNC,
        MairAttrIndx.DeviceNGnRnE => Arm64MemoryType.DeviceNGnRnE,
        MairAttrIndx.DeviceNGnRE => Arm64MemoryType.DeviceNGnRE,
        _ => throw new InvalidOperationException($"unknown AttrIndx {(int)AttrIndx}"),
    };

    /// <summary><c>kvm_vma_is_cacheable</c>: false iff the index is NORMAL_NC, DEVICE_nGnRnE or DEVICE_nGnRE.</summary>
    public bool IsCacheable => AttrIndx is not (MairAttrIndx.NormalNC or MairAttrIndx.DeviceNGnRnE or MairAttrIndx.DeviceNGnRE);
}
