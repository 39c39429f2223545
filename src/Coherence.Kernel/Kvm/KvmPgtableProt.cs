using Coherence.Kernel.Boot;
using Coherence.Platform.Addressing;

namespace Coherence.Kernel.Kvm;

/// <summary><c>enum kvm_pgtable_prot</c>: the bits with the kernel's positions (SW0..3 at 55..58 are not modelled).</summary>
[Flags]
public enum KvmPgtableProt : ulong
{
    /// <summary>No access.</summary>
    None = 0,

    /// <summary>KVM_PGTABLE_PROT_X (bit 0).</summary>
    X = 1UL << 0,

    /// <summary>KVM_PGTABLE_PROT_W (bit 1).</summary>
    W = 1UL << 1,

    /// <summary>KVM_PGTABLE_PROT_R (bit 2).</summary>
    R = 1UL << 2,

    /// <summary>KVM_PGTABLE_PROT_DEVICE (bit 3).</summary>
    Device = 1UL << 3,

    /// <summary>KVM_PGTABLE_PROT_NORMAL_NC (bit 4).</summary>
    NormalNC = 1UL << 4,
}

/// <summary>The stage-2 page-table helpers of arch/arm64/kvm/hyp/pgtable.c that the model needs.</summary>
public static class KvmPgtable
{
    /// <summary>
    /// <c>stage2_set_prot_attr</c>'s memory-attribute part: neither DEVICE nor NORMAL_NC gives NORMAL, DEVICE gives
    /// DEVICE_nGnRE, NORMAL_NC gives NORMAL_NC; X with DEVICE or NORMAL_NC, or both bits, is -EINVAL. The FWB
    /// (<paramref name="fwb"/>, <c>stage2_has_fwb</c>) or non-FWB encoding is chosen.
    /// </summary>
    public static Errno Stage2SetProtAttr(KvmPgtableProt prot, bool fwb, out Stage2MemAttr attr)
    {
        bool device = prot.HasFlag(KvmPgtableProt.Device);
        bool normalNc = prot.HasFlag(KvmPgtableProt.NormalNC);
        bool exec = prot.HasFlag(KvmPgtableProt.X);
        attr = default;
        if (device && normalNc)
        {
            return Errno.EINVAL;
        }

        if ((device || normalNc) && exec)
        {
            return Errno.EINVAL;
        }

        attr = device ? (fwb ? Stage2MemAttr.FwbDeviceNGnRE : Stage2MemAttr.DeviceNGnRE)
            : normalNc ? (fwb ? Stage2MemAttr.FwbNormalNC : Stage2MemAttr.NormalNC)
            : (fwb ? Stage2MemAttr.FwbNormal : Stage2MemAttr.Normal);
        return Errno.Ok;
    }
}
