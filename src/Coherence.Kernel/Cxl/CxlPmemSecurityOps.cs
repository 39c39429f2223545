using Coherence.Kernel.Nvdimm;
using Errno = Coherence.Kernel.Boot.Errno;

namespace Coherence.Kernel.Cxl;

/// <summary>
/// <c>drivers/cxl/security.c</c>: the nvdimm security ops of a CXL memdev. Each op is one mailbox command returning
/// the mailbox result, with no cache maintenance (the libnvdimm core sets NDD_INCOHERENT and the region code
/// invalidates). There is no overwrite.
/// </summary>
public sealed class CxlPmemSecurityOps : INvdimmSecurityOps
{
    private readonly CxlMemdev memdev;

    /// <summary>Ops for <paramref name="memdev"/>.</summary>
    public CxlPmemSecurityOps(CxlMemdev memdev) => this.memdev = memdev;

    /// <inheritdoc/>
    public NvdimmSecurityOpKinds Provided => NvdimmSecurityOpKinds.GetFlags | NvdimmSecurityOpKinds.ChangeKey | NvdimmSecurityOpKinds.Disable
        | NvdimmSecurityOpKinds.Freeze | NvdimmSecurityOpKinds.Unlock | NvdimmSecurityOpKinds.Erase | NvdimmSecurityOpKinds.DisableMaster;

    private static CxlPassphraseType Type(NvdimmPassphraseType type) => type == NvdimmPassphraseType.Master ? CxlPassphraseType.Master : CxlPassphraseType.User;

    /// <summary>
    /// <c>cxl_pmem_get_security_flags</c>: 0 when the command fails; caches the state; master: MASTER_PASS_SET gives
    /// UNLOCKED else DISABLED, MASTER_PLIMIT adds FROZEN; user: with USER_PASS_SET, FROZEN or USER_PLIMIT adds FROZEN
    /// and LOCKED gives LOCKED else UNLOCKED; without it DISABLED.
    /// </summary>
    public NvdimmSecurityFlags GetFlags(Nvdimm.Nvdimm nvdimm, NvdimmPassphraseType type)
    {
        var state = CxlSecurityState.None;
        if (memdev.Send(CxlMboxOpcode.GetSecurityState, () => memdev.Firmware.GetSecurityState(out state)) != Errno.Ok)
        {
            return NvdimmSecurityFlags.None;
        }
        memdev.CachedSecurityState = state;
        var flags = NvdimmSecurityFlags.None;
        if (type == NvdimmPassphraseType.Master)
        {
            flags |= state.HasFlag(CxlSecurityState.MasterPassSet) ? NvdimmSecurityFlags.Unlocked : NvdimmSecurityFlags.Disabled;
            if (state.HasFlag(CxlSecurityState.MasterPassphraseLimit))
            {
                flags |= NvdimmSecurityFlags.Frozen;
            }
            return flags;
        }
        if (state.HasFlag(CxlSecurityState.UserPassSet))
        {
            if (state.HasFlag(CxlSecurityState.Frozen) || state.HasFlag(CxlSecurityState.UserPassphraseLimit))
            {
                flags |= NvdimmSecurityFlags.Frozen;
            }
            flags |= state.HasFlag(CxlSecurityState.Locked) ? NvdimmSecurityFlags.Locked : NvdimmSecurityFlags.Unlocked;
        }
        else
        {
            flags |= NvdimmSecurityFlags.Disabled;
        }
        return flags;
    }

    /// <summary><c>cxl_pmem_security_freeze</c>: FREEZE_SECURITY.</summary>
    public Errno Freeze(Nvdimm.Nvdimm nvdimm) => memdev.Send(CxlMboxOpcode.FreezeSecurity, memdev.Firmware.FreezeSecurity);

    /// <summary><c>cxl_pmem_security_unlock</c>: UNLOCK.</summary>
    public Errno Unlock(Nvdimm.Nvdimm nvdimm, ReadOnlySpan<byte> key)
    {
        var k = key.ToArray();
        return memdev.Send(CxlMboxOpcode.Unlock, () => memdev.Firmware.Unlock(k));
    }

    /// <summary><c>cxl_pmem_security_change_key</c>: SET_PASSPHRASE of the given type.</summary>
    public Errno ChangeKey(Nvdimm.Nvdimm nvdimm, ReadOnlySpan<byte> oldKey, ReadOnlySpan<byte> newKey, NvdimmPassphraseType type)
    {
        var o = oldKey.ToArray();
        var n = newKey.ToArray();
        return memdev.Send(CxlMboxOpcode.SetPassphrase, () => memdev.Firmware.SetPassphrase(Type(type), o, n));
    }

    /// <summary><c>cxl_pmem_security_disable</c>: DISABLE_PASSPHRASE (user).</summary>
    public Errno Disable(Nvdimm.Nvdimm nvdimm, ReadOnlySpan<byte> key)
    {
        var k = key.ToArray();
        return memdev.Send(CxlMboxOpcode.DisablePassphrase, () => memdev.Firmware.DisablePassphrase(CxlPassphraseType.User, k));
    }

    /// <summary><c>cxl_pmem_security_disable_master</c>: DISABLE_PASSPHRASE (master).</summary>
    public Errno DisableMaster(Nvdimm.Nvdimm nvdimm, ReadOnlySpan<byte> key)
    {
        var k = key.ToArray();
        return memdev.Send(CxlMboxOpcode.DisablePassphrase, () => memdev.Firmware.DisablePassphrase(CxlPassphraseType.Master, k));
    }

    /// <summary><c>cxl_pmem_security_passphrase_erase</c>: PASSPHRASE_SECURE_ERASE of the given type.</summary>
    public Errno Erase(Nvdimm.Nvdimm nvdimm, ReadOnlySpan<byte> key, NvdimmPassphraseType type)
    {
        var k = key.ToArray();
        return memdev.Send(CxlMboxOpcode.PassphraseSecureErase, () => memdev.Firmware.PassphraseSecureErase(Type(type), k));
    }

    /// <summary>Not provided by CXL (never called: the core answers -EOPNOTSUPP).</summary>
    public Errno Overwrite(Nvdimm.Nvdimm nvdimm, ReadOnlySpan<byte> key) => Errno.EOPNOTSUPP;

    /// <summary>Not provided by CXL.</summary>
    public Errno QueryOverwrite(Nvdimm.Nvdimm nvdimm) => Errno.EOPNOTSUPP;
}
