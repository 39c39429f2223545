using Errno = Coherence.Kernel.Boot.Errno;
using KernelLogLevel = Coherence.Kernel.Boot.KernelLogLevel;

namespace Coherence.Kernel.Nvdimm;

/// <summary>
/// <c>drivers/acpi/nfit/intel.c</c>: the Intel DSM security ops over an <see cref="IntelDsmDimm"/>. Each op returns
/// -ENOTTY when its command is missing from the DSM mask and maps the DSM status as intel.c does. unlock, erase,
/// overwrite and query_overwrite exist only on x86 (<c>CONFIG_X86</c>). There is no <c>disable_master</c>.
/// Under <see cref="NvdimmFlushPolicy.V5_0"/> the ops call <c>nvdimm_invalidate_cache()</c>
/// (<c>wbinvd_on_all_cpus</c>) after a successful unlock, before and after erase, before overwrite and when the query
/// reports completion; later kernels do no cache maintenance here.
/// </summary>
public sealed class IntelNvdimmSecurityOps : INvdimmSecurityOps
{
    private readonly IntelDsmDimm firmware;
    private readonly NvdimmBus bus;

    /// <summary>Wraps <paramref name="firmware"/>; <paramref name="x86"/> false leaves out the x86-only ops.</summary>
    public IntelNvdimmSecurityOps(IntelDsmDimm firmware, NvdimmBus bus, bool x86 = true)
    {
        this.firmware = firmware;
        this.bus = bus;
        Provided = NvdimmSecurityOpKinds.GetFlags | NvdimmSecurityOpKinds.Freeze | NvdimmSecurityOpKinds.ChangeKey | NvdimmSecurityOpKinds.Disable;
        if (x86)
        {
            Provided |= NvdimmSecurityOpKinds.Unlock | NvdimmSecurityOpKinds.Erase | NvdimmSecurityOpKinds.Overwrite | NvdimmSecurityOpKinds.QueryOverwrite;
        }
    }

    /// <inheritdoc/>
    public NvdimmSecurityOpKinds Provided { get; }

    /// <summary>The firmware.</summary>
    public IntelDsmDimm Firmware => firmware;

    private bool Has(IntelDsmCommands command) => (firmware.DsmMask & command) == command;

    /// <summary><c>nvdimm_invalidate_cache()</c> of v5.0: wbinvd_on_all_cpus on x86; only the v5.0 policy calls it.</summary>
    private void InvalidateCacheV50()
    {
        if (bus.Policy == NvdimmFlushPolicy.V5_0)
        {
            _ = bus.Invalidator.InvalidateAll();
        }
    }

    /// <summary>
    /// <c>intel_security_flags</c>: the user state reads OVERWRITE alone while NDD_SECURITY_OVERWRITE is set; a failed
    /// query logs <c>pr_err</c> and gives 0; master: ESTATE_ENABLED gives UNLOCKED else DISABLED, ESTATE_PLIMIT adds
    /// FROZEN; user: UNSUPPORTED gives 0, ENABLED gives LOCKED or UNLOCKED (plus FROZEN for FROZEN or PLIMIT), else DISABLED.
    /// </summary>
    public NvdimmSecurityFlags GetFlags(Nvdimm nvdimm, NvdimmPassphraseType type)
    {
        if (!Has(IntelDsmCommands.GetSecurityState))
        {
            return NvdimmSecurityFlags.None;
        }
        if (nvdimm.Flags.HasFlag(NvdimmDeviceFlags.SecurityOverwrite) && type == NvdimmPassphraseType.User)
        {
            return NvdimmSecurityFlags.Overwrite;
        }
        var status = firmware.GetSecurityState(out var state, out var extended);
        if (status != IntelDsmStatus.Success)
        {
            bus.Log.Add(KernelLogLevel.Err, "", $"{nvdimm.Name}: security state retrieval failed (0:{(int)status:#x})");
            return NvdimmSecurityFlags.None;
        }
        var flags = NvdimmSecurityFlags.None;
        if (type == NvdimmPassphraseType.Master)
        {
            flags |= ((int)extended & 0x01) != 0 ? NvdimmSecurityFlags.Unlocked : NvdimmSecurityFlags.Disabled;
            if (((int)extended & 0x02) != 0)
            {
                flags |= NvdimmSecurityFlags.Frozen;
            }
            return flags;
        }
        if (state.HasFlag(IntelSecurityState.Unsupported))
        {
            return NvdimmSecurityFlags.None;
        }
        if (state.HasFlag(IntelSecurityState.Enabled))
        {
            if (state.HasFlag(IntelSecurityState.Frozen) || state.HasFlag(IntelSecurityState.PassphraseLimit))
            {
                flags |= NvdimmSecurityFlags.Frozen;
            }
            flags |= state.HasFlag(IntelSecurityState.Locked) ? NvdimmSecurityFlags.Locked : NvdimmSecurityFlags.Unlocked;
        }
        else
        {
            flags |= NvdimmSecurityFlags.Disabled;
        }
        return flags;
    }

    /// <summary><c>intel_security_freeze</c>: nonzero status gives -EIO.</summary>
    public Errno Freeze(Nvdimm nvdimm)
    {
        if (!Has(IntelDsmCommands.FreezeLock))
        {
            return Errno.ENOTTY;
        }
        return firmware.FreezeLock() == IntelDsmStatus.Success ? Errno.Ok : Errno.EIO;
    }

    /// <summary><c>intel_security_change_key</c>: INVALID_PASS -EINVAL, NOT_SUPPORTED -EOPNOTSUPP, else -EIO.</summary>
    public Errno ChangeKey(Nvdimm nvdimm, ReadOnlySpan<byte> oldKey, ReadOnlySpan<byte> newKey, NvdimmPassphraseType type)
    {
        var master = type == NvdimmPassphraseType.Master;
        if (!Has(master ? IntelDsmCommands.SetMasterPassphrase : IntelDsmCommands.SetPassphrase))
        {
            return Errno.ENOTTY;
        }
        var status = master ? firmware.SetMasterPassphrase(oldKey, newKey) : firmware.SetPassphrase(oldKey, newKey);
        return status switch
        {
            IntelDsmStatus.Success => Errno.Ok,
            IntelDsmStatus.InvalidPass => Errno.EINVAL,
            IntelDsmStatus.NotSupported => Errno.EOPNOTSUPP,
            _ => Errno.EIO,
        };
    }

    /// <summary><c>intel_security_unlock</c>: INVALID_PASS -EINVAL, anything else -EIO.</summary>
    public Errno Unlock(Nvdimm nvdimm, ReadOnlySpan<byte> key)
    {
        if (!Has(IntelDsmCommands.UnlockUnit))
        {
            return Errno.ENOTTY;
        }
        var status = firmware.UnlockUnit(key);
        if (status != IntelDsmStatus.Success)
        {
            return status == IntelDsmStatus.InvalidPass ? Errno.EINVAL : Errno.EIO;
        }
        // v5.0: "DIMM unlocked, invalidate all CPU caches before we read it"
        InvalidateCacheV50();
        return Errno.Ok;
    }

    /// <summary><c>intel_security_disable</c>: INVALID_PASS -EINVAL, anything else -ENXIO.</summary>
    public Errno Disable(Nvdimm nvdimm, ReadOnlySpan<byte> key)
    {
        if (!Has(IntelDsmCommands.DisablePassphrase))
        {
            return Errno.ENOTTY;
        }
        return firmware.DisablePassphrase(key) switch
        {
            IntelDsmStatus.Success => Errno.Ok,
            IntelDsmStatus.InvalidPass => Errno.EINVAL,
            _ => Errno.ENXIO,
        };
    }

    /// <summary>intel.c has no <c>disable_master</c>: never called (the core answers -EOPNOTSUPP).</summary>
    public Errno DisableMaster(Nvdimm nvdimm, ReadOnlySpan<byte> key) => Errno.EOPNOTSUPP;

    /// <summary><c>intel_security_erase</c>: NOT_SUPPORTED -EOPNOTSUPP, INVALID_PASS -EINVAL, anything else -ENXIO.</summary>
    public Errno Erase(Nvdimm nvdimm, ReadOnlySpan<byte> key, NvdimmPassphraseType type)
    {
        var master = type == NvdimmPassphraseType.Master;
        if (!Has(master ? IntelDsmCommands.MasterSecureErase : IntelDsmCommands.SecureErase))
        {
            return Errno.ENOTTY;
        }
        // v5.0: "flush all cache before we erase DIMM"
        InvalidateCacheV50();
        var status = firmware.SecureErase(key, master);
        switch (status)
        {
            case IntelDsmStatus.Success:
                break;
            case IntelDsmStatus.NotSupported:
                return Errno.EOPNOTSUPP;
            case IntelDsmStatus.InvalidPass:
                return Errno.EINVAL;
            default:
                return Errno.ENXIO;
        }
        // v5.0: "DIMM erased, invalidate all CPU caches before we read it"
        InvalidateCacheV50();
        return Errno.Ok;
    }

    /// <summary><c>intel_security_overwrite</c>: OVERWRITE_UNSUPPORTED -ENOTSUPP, INVALID_PASS -EINVAL, anything else -ENXIO.</summary>
    public Errno Overwrite(Nvdimm nvdimm, ReadOnlySpan<byte> key)
    {
        if (!Has(IntelDsmCommands.Overwrite))
        {
            return Errno.ENOTTY;
        }
        // v5.0: "flush all cache before we make the nvdimms available"
        InvalidateCacheV50();
        return firmware.Overwrite(key) switch
        {
            IntelDsmStatus.Success => Errno.Ok,
            IntelDsmStatus.OverwriteUnsupported => Errno.ENOTSUPP,
            IntelDsmStatus.InvalidPass => Errno.EINVAL,
            _ => Errno.ENXIO,
        };
    }

    /// <summary><c>intel_security_query_overwrite</c>: OQUERY_INPROGRESS -EBUSY, anything else but success -ENXIO.</summary>
    public Errno QueryOverwrite(Nvdimm nvdimm)
    {
        if (!Has(IntelDsmCommands.QueryOverwrite))
        {
            return Errno.ENOTTY;
        }
        var status = firmware.QueryOverwrite();
        if (status == IntelDsmStatus.QueryInProgress)
        {
            return Errno.EBUSY;
        }
        if (status != IntelDsmStatus.Success)
        {
            return Errno.ENXIO;
        }
        // v5.0: "flush all cache before we make the nvdimms available"
        InvalidateCacheV50();
        return Errno.Ok;
    }
}
