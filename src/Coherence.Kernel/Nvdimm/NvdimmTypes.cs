using Errno = Coherence.Kernel.Boot.Errno;

namespace Coherence.Kernel.Nvdimm;

/// <summary>
/// <c>enum nvdimm_security_bits</c> as a bitmap (<c>nvdimm-&gt;sec.flags</c> for the user passphrase,
/// <c>sec.ext_flags</c> for the master). <see cref="None"/> means error or not supported. Disabled, Unlocked, Locked
/// and Overwrite are mutually exclusive; Frozen is set alongside Locked or Unlocked.
/// </summary>
[Flags]
public enum NvdimmSecurityFlags
{
    /// <summary>0: error or security not supported.</summary>
    None = 0,

    /// <summary>NVDIMM_SECURITY_DISABLED (bit 0): no passphrase set.</summary>
    Disabled = 1 << 0,

    /// <summary>NVDIMM_SECURITY_UNLOCKED (bit 1).</summary>
    Unlocked = 1 << 1,

    /// <summary>NVDIMM_SECURITY_LOCKED (bit 2).</summary>
    Locked = 1 << 2,

    /// <summary>NVDIMM_SECURITY_FROZEN (bit 3): no security state change until the next power cycle.</summary>
    Frozen = 1 << 3,

    /// <summary>NVDIMM_SECURITY_OVERWRITE (bit 4): an overwrite is running.</summary>
    Overwrite = 1 << 4,
}

/// <summary>The <c>nvdimm-&gt;flags</c> bits the security code uses (NDD_*).</summary>
[Flags]
public enum NvdimmDeviceFlags
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>NDD_SECURITY_OVERWRITE (bit 3): an overwrite was submitted and has not completed.</summary>
    SecurityOverwrite = 1 << 3,

    /// <summary>NDD_WORK_PENDING (bit 4): the overwrite query work holds a device reference.</summary>
    WorkPending = 1 << 4,

    /// <summary>NDD_LABELING (bit 6).</summary>
    Labeling = 1 << 6,

    /// <summary>NDD_INCOHERENT (bit 7, v6.2): the media changed behind the CPU caches; the next region activate must invalidate.</summary>
    Incoherent = 1 << 7,
}

/// <summary><c>enum nvdimm_passphrase_type</c>.</summary>
public enum NvdimmPassphraseType
{
    /// <summary>NVDIMM_USER.</summary>
    User,

    /// <summary>NVDIMM_MASTER.</summary>
    Master,
}

/// <summary>Which members of <c>struct nvdimm_security_ops</c> a provider fills in (a NULL op gives -EOPNOTSUPP or -EIO in the core).</summary>
[Flags]
public enum NvdimmSecurityOpKinds
{
    /// <summary>No op.</summary>
    None = 0,

    /// <summary><c>get_flags</c>.</summary>
    GetFlags = 1 << 0,

    /// <summary><c>freeze</c>.</summary>
    Freeze = 1 << 1,

    /// <summary><c>change_key</c>.</summary>
    ChangeKey = 1 << 2,

    /// <summary><c>unlock</c>.</summary>
    Unlock = 1 << 3,

    /// <summary><c>disable</c>.</summary>
    Disable = 1 << 4,

    /// <summary><c>erase</c>.</summary>
    Erase = 1 << 5,

    /// <summary><c>overwrite</c>.</summary>
    Overwrite = 1 << 6,

    /// <summary><c>query_overwrite</c>.</summary>
    QueryOverwrite = 1 << 7,

    /// <summary><c>disable_master</c> (added for CXL in v6.2).</summary>
    DisableMaster = 1 << 8,

    /// <summary>Every op.</summary>
    All = (1 << 9) - 1,
}

/// <summary>
/// Where the NVDIMM security code invalidates CPU caches (spec §2.2 flush history, §2.3).
/// </summary>
public enum NvdimmFlushPolicy
{
    /// <summary>
    /// v5.0 to v6.1: <c>nvdimm_invalidate_cache()</c> (wbinvd_on_all_cpus) inside the Intel DSM ops: after a successful
    /// unlock, before and after erase, before overwrite, and when the overwrite query reports completion.
    /// No NDD_INCOHERENT flag, no flush at region activate.
    /// </summary>
    V5_0,

    /// <summary>
    /// v6.2 and later (today's upstream): unlock, erase and overwrite set NDD_INCOHERENT; <c>nd_region_activate</c>
    /// invalidates (or fails with -ENXIO when it cannot); <c>nd_region_remove</c> flushes opportunistically.
    /// </summary>
    V6_2,

    /// <summary>No invalidation anywhere: the baseline that shows the hazards.</summary>
    None,
}

/// <summary>
/// <c>struct nvdimm_security_ops</c>: the provider's (Intel DSM, CXL mailbox) security operations. The core calls an
/// op only when <see cref="Provided"/> has it. Ops return <see cref="Errno.Ok"/> or the error the provider maps.
/// </summary>
public interface INvdimmSecurityOps
{
    /// <summary>The ops that are not NULL.</summary>
    NvdimmSecurityOpKinds Provided { get; }

    /// <summary><c>get_flags(nvdimm, ptype)</c>: the current state read from the hardware (None on failure).</summary>
    NvdimmSecurityFlags GetFlags(Nvdimm nvdimm, NvdimmPassphraseType type);

    /// <summary><c>freeze</c>.</summary>
    Errno Freeze(Nvdimm nvdimm);

    /// <summary><c>unlock</c> with the user passphrase.</summary>
    Errno Unlock(Nvdimm nvdimm, ReadOnlySpan<byte> key);

    /// <summary><c>change_key</c>: set the user or master passphrase.</summary>
    Errno ChangeKey(Nvdimm nvdimm, ReadOnlySpan<byte> oldKey, ReadOnlySpan<byte> newKey, NvdimmPassphraseType type);

    /// <summary><c>disable</c>: remove the user passphrase.</summary>
    Errno Disable(Nvdimm nvdimm, ReadOnlySpan<byte> key);

    /// <summary><c>disable_master</c>: remove the master passphrase.</summary>
    Errno DisableMaster(Nvdimm nvdimm, ReadOnlySpan<byte> key);

    /// <summary><c>erase</c>: secure (crypto) erase with the user or master passphrase.</summary>
    Errno Erase(Nvdimm nvdimm, ReadOnlySpan<byte> key, NvdimmPassphraseType type);

    /// <summary><c>overwrite</c>: start an overwrite of the whole DIMM.</summary>
    Errno Overwrite(Nvdimm nvdimm, ReadOnlySpan<byte> key);

    /// <summary><c>query_overwrite</c>: Ok when done, EBUSY while running, another error on failure.</summary>
    Errno QueryOverwrite(Nvdimm nvdimm);
}
