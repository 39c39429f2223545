using Coherence.Platform;
using Coherence.Platform.Devices;

namespace Coherence.Kernel.Nvdimm;

/// <summary>The Intel DSM security commands (family NVDIMM_FAMILY_INTEL) a DIMM may advertise in its <c>dsm_mask</c>.</summary>
[Flags]
public enum IntelDsmCommands
{
    /// <summary>No command.</summary>
    None = 0,

    /// <summary>GET_SECURITY_STATE.</summary>
    GetSecurityState = 1 << 0,

    /// <summary>SET_PASSPHRASE.</summary>
    SetPassphrase = 1 << 1,

    /// <summary>DISABLE_PASSPHRASE.</summary>
    DisablePassphrase = 1 << 2,

    /// <summary>UNLOCK_UNIT.</summary>
    UnlockUnit = 1 << 3,

    /// <summary>FREEZE_LOCK.</summary>
    FreezeLock = 1 << 4,

    /// <summary>SECURE_ERASE.</summary>
    SecureErase = 1 << 5,

    /// <summary>OVERWRITE.</summary>
    Overwrite = 1 << 6,

    /// <summary>QUERY_OVERWRITE.</summary>
    QueryOverwrite = 1 << 7,

    /// <summary>SET_MASTER_PASSPHRASE.</summary>
    SetMasterPassphrase = 1 << 8,

    /// <summary>MASTER_SECURE_ERASE.</summary>
    MasterSecureErase = 1 << 9,

    /// <summary>Every command.</summary>
    All = (1 << 10) - 1,
}

/// <summary>Intel DSM status codes the security ops translate (<c>ND_INTEL_STATUS_*</c>).</summary>
public enum IntelDsmStatus
{
    /// <summary>Success.</summary>
    Success = 0,

    /// <summary>ND_INTEL_STATUS_NOT_SUPPORTED.</summary>
    NotSupported = 1,

    /// <summary>ND_INTEL_STATUS_INVALID_STATE.</summary>
    InvalidState = 10,

    /// <summary>ND_INTEL_STATUS_INVALID_PASS.</summary>
    InvalidPass = 11,

    /// <summary>ND_INTEL_STATUS_OVERWRITE_UNSUPPORTED (extended status 0x10007).</summary>
    OverwriteUnsupported = 0x10007,

    /// <summary>ND_INTEL_STATUS_OQUERY_INPROGRESS: the same extended code 0x10007, answered by QUERY_OVERWRITE.</summary>
    QueryInProgress = 0x10007,

    /// <summary>ND_INTEL_STATUS_OQUERY_SEQUENCE_ERR (0x20007): no overwrite to query.</summary>
    QuerySequenceError = 0x20007,
}

/// <summary>The security state byte of GET_SECURITY_STATE (<c>ND_INTEL_SEC_STATE_*</c>) and the extended (master) byte.</summary>
[Flags]
public enum IntelSecurityState
{
    /// <summary>Nothing set.</summary>
    None = 0,

    /// <summary>ND_INTEL_SEC_STATE_ENABLED: a user passphrase is set.</summary>
    Enabled = 0x02,

    /// <summary>ND_INTEL_SEC_STATE_LOCKED.</summary>
    Locked = 0x04,

    /// <summary>ND_INTEL_SEC_STATE_FROZEN.</summary>
    Frozen = 0x08,

    /// <summary>ND_INTEL_SEC_STATE_PLIMIT: passphrase attempt limit reached.</summary>
    PassphraseLimit = 0x10,

    /// <summary>ND_INTEL_SEC_STATE_UNSUPPORTED.</summary>
    Unsupported = 0x20,

    /// <summary>ND_INTEL_SEC_STATE_OVERWRITE.</summary>
    Overwrite = 0x40,
}

/// <summary>
/// The firmware of an Intel NVDIMM behind ACPI NFIT DSMs, driving a platform <see cref="MemoryDevice"/>: passphrases,
/// lock, freeze, attempt limits, secure erase and a background overwrite. The behaviour follows the Intel DSM v1.8
/// security commands as far as the kernel observes them; the firmware-internal rules marked (inferred) are the model's.
/// </summary>
/// <remarks>
/// Platform effects: unlock calls <see cref="Machine.SetLocked"/>(false); a secure erase calls
/// <see cref="Machine.EraseDevice"/> at once (fill 0); an overwrite locks the media for its duration and erases it with
/// <see cref="OverwritePattern"/> when it completes (a hardware event on the <see cref="DelayedWorkQueue"/>); both
/// leave security disabled, as ndctl documents. <see cref="PowerCycle"/> re-locks a DIMM with a passphrase and clears
/// freeze and attempt limits.
/// </remarks>
public sealed class IntelDsmDimm
{
    private readonly Machine machine;
    private readonly DelayedWorkQueue clock;
    private byte[]? userPassphrase;
    private byte[]? masterPassphrase;
    private int userFailures;
    private int masterFailures;
    private bool overwriteRan;

    /// <summary>Creates the firmware of a DIMM with security disabled, unlocked, and no master passphrase.</summary>
    public IntelDsmDimm(Machine machine, MemoryDevice device, DelayedWorkQueue clock)
    {
        this.machine = machine;
        this.clock = clock;
        Device = device;
    }

    /// <summary>The media.</summary>
    public MemoryDevice Device { get; }

    /// <summary>The commands the DIMM advertises (<c>nfit_mem-&gt;dsm_mask</c>); an op whose command is missing gives -ENOTTY.</summary>
    public IntelDsmCommands DsmMask { get; set; } = IntelDsmCommands.All;

    /// <summary>When true GET_SECURITY_STATE reports UNSUPPORTED (security flags 0).</summary>
    public bool SecurityUnsupported { get; set; }

    /// <summary>When true OVERWRITE answers OVERWRITE_UNSUPPORTED.</summary>
    public bool OverwriteUnsupported { get; set; }

    /// <summary>When true GET_SECURITY_STATE fails (the kernel logs and reads flags 0).</summary>
    public bool StateQueryFails { get; set; }

    /// <summary>Seconds an overwrite takes.</summary>
    public long OverwriteSeconds { get; set; }

    /// <summary>The byte an overwrite leaves on the media.</summary>
    public byte OverwritePattern { get; set; }

    /// <summary>Wrong passphrases accepted before the attempt limit (PLIMIT) is reached (inferred: 3).</summary>
    public int PassphraseAttemptLimit { get; set; } = 3;

    /// <summary>True when a user passphrase is set (security enabled).</summary>
    public bool UserEnabled => userPassphrase is not null;

    /// <summary>True when the master passphrase is enabled.</summary>
    public bool MasterEnabled => masterPassphrase is not null;

    /// <summary>True while the media is locked.</summary>
    public bool Locked { get; private set; }

    /// <summary>True after FREEZE_LOCK until the next power cycle.</summary>
    public bool Frozen { get; private set; }

    /// <summary>True after too many wrong user passphrases, until the next power cycle.</summary>
    public bool UserLimitReached => userFailures >= PassphraseAttemptLimit;

    /// <summary>True after too many wrong master passphrases, until the next power cycle.</summary>
    public bool MasterLimitReached => masterFailures >= PassphraseAttemptLimit;

    /// <summary>True while an overwrite runs.</summary>
    public bool OverwriteInProgress { get; private set; }

    /// <summary>Number of media erasures done (secure erase and overwrite).</summary>
    public int Erasures { get; private set; }

    /// <summary>Provisioning outside the OS (for example by the BIOS): sets the user passphrase without checks.</summary>
    public void ProvisionUserPassphrase(ReadOnlySpan<byte> passphrase) => userPassphrase = passphrase.ToArray();

    /// <summary>Provisioning: enables the master passphrase (factory default on many DIMMs).</summary>
    public void ProvisionMasterPassphrase(ReadOnlySpan<byte> passphrase) => masterPassphrase = passphrase.ToArray();

    /// <summary>
    /// A power cycle: a DIMM with a user passphrase comes back locked (<see cref="Machine.SetLocked"/>), freeze and
    /// attempt limits clear. A running overwrite keeps running. Call after <see cref="Machine.PowerFail"/>.
    /// </summary>
    public void PowerCycle()
    {
        Frozen = false;
        userFailures = 0;
        masterFailures = 0;
        if (!OverwriteInProgress)
        {
            Locked = UserEnabled;
            machine.SetLocked(Device, Locked);
        }
    }

    /// <summary>GET_SECURITY_STATE: the state byte and the extended (master) byte.</summary>
    public IntelDsmStatus GetSecurityState(out IntelSecurityState state, out IntelSecurityState extended)
    {
        state = IntelSecurityState.None;
        extended = IntelSecurityState.None;
        if (StateQueryFails)
        {
            return IntelDsmStatus.NotSupported;
        }
        if (SecurityUnsupported)
        {
            state = IntelSecurityState.Unsupported;
            return IntelDsmStatus.Success;
        }
        if (UserEnabled)
        {
            state |= IntelSecurityState.Enabled;
        }
        if (Locked)
        {
            state |= IntelSecurityState.Locked;
        }
        if (Frozen)
        {
            state |= IntelSecurityState.Frozen;
        }
        if (UserLimitReached)
        {
            state |= IntelSecurityState.PassphraseLimit;
        }
        if (OverwriteInProgress)
        {
            state |= IntelSecurityState.Overwrite;
        }
        if (MasterEnabled)
        {
            extended |= (IntelSecurityState)0x01;
        }
        if (MasterLimitReached)
        {
            extended |= (IntelSecurityState)0x02;
        }
        return IntelDsmStatus.Success;
    }

    private bool CheckUser(ReadOnlySpan<byte> passphrase)
    {
        if (userPassphrase is not null && passphrase.SequenceEqual(userPassphrase))
        {
            return true;
        }
        userFailures++;
        return false;
    }

    private bool CheckMaster(ReadOnlySpan<byte> passphrase)
    {
        if (masterPassphrase is not null && passphrase.SequenceEqual(masterPassphrase))
        {
            return true;
        }
        masterFailures++;
        return false;
    }

    private static bool IsZero(ReadOnlySpan<byte> key) => !key.ContainsAnyExcept((byte)0);

    private bool Busy => OverwriteInProgress || Frozen;

    /// <summary>
    /// SET_PASSPHRASE: frozen, limited, locked or overwriting gives INVALID_STATE; with security enabled the old
    /// passphrase must match, without it the old passphrase must be the zero key (inferred); then the new one is set.
    /// </summary>
    public IntelDsmStatus SetPassphrase(ReadOnlySpan<byte> oldPassphrase, ReadOnlySpan<byte> newPassphrase)
    {
        if (Busy || UserLimitReached || Locked)
        {
            return IntelDsmStatus.InvalidState;
        }
        if (UserEnabled ? !CheckUser(oldPassphrase) : !IsZero(oldPassphrase))
        {
            return IntelDsmStatus.InvalidPass;
        }
        userPassphrase = newPassphrase.ToArray();
        return IntelDsmStatus.Success;
    }

    /// <summary>SET_MASTER_PASSPHRASE: NOT_SUPPORTED unless the master passphrase is enabled; the old one must match.</summary>
    public IntelDsmStatus SetMasterPassphrase(ReadOnlySpan<byte> oldPassphrase, ReadOnlySpan<byte> newPassphrase)
    {
        if (!MasterEnabled)
        {
            return IntelDsmStatus.NotSupported;
        }
        if (Busy || MasterLimitReached)
        {
            return IntelDsmStatus.InvalidState;
        }
        if (!CheckMaster(oldPassphrase))
        {
            return IntelDsmStatus.InvalidPass;
        }
        masterPassphrase = newPassphrase.ToArray();
        return IntelDsmStatus.Success;
    }

    /// <summary>DISABLE_PASSPHRASE: needs security enabled and unlocked and the right passphrase.</summary>
    public IntelDsmStatus DisablePassphrase(ReadOnlySpan<byte> passphrase)
    {
        if (Busy || !UserEnabled || Locked || UserLimitReached)
        {
            return IntelDsmStatus.InvalidState;
        }
        if (!CheckUser(passphrase))
        {
            return IntelDsmStatus.InvalidPass;
        }
        userPassphrase = null;
        return IntelDsmStatus.Success;
    }

    /// <summary>UNLOCK_UNIT: needs security enabled and locked and the right passphrase; unlocks the media.</summary>
    public IntelDsmStatus UnlockUnit(ReadOnlySpan<byte> passphrase)
    {
        if (OverwriteInProgress || !UserEnabled || !Locked || UserLimitReached)
        {
            return IntelDsmStatus.InvalidState;
        }
        if (!CheckUser(passphrase))
        {
            return IntelDsmStatus.InvalidPass;
        }
        Locked = false;
        machine.SetLocked(Device, false);
        return IntelDsmStatus.Success;
    }

    /// <summary>FREEZE_LOCK: no security state change until the next power cycle.</summary>
    public IntelDsmStatus FreezeLock()
    {
        if (OverwriteInProgress)
        {
            return IntelDsmStatus.InvalidState;
        }
        Frozen = true;
        return IntelDsmStatus.Success;
    }

    /// <summary>
    /// SECURE_ERASE (user) or MASTER_SECURE_ERASE: a crypto erase of the media (<see cref="Machine.EraseDevice"/>,
    /// fill 0). The user variant needs the DIMM unlocked and the user passphrase (the zero key when security is
    /// disabled); the master variant needs the master passphrase and works on a locked DIMM. Afterwards security is
    /// disabled and the media unlocked.
    /// </summary>
    public IntelDsmStatus SecureErase(ReadOnlySpan<byte> passphrase, bool master)
    {
        if (master && !MasterEnabled)
        {
            return IntelDsmStatus.NotSupported;
        }
        if (Busy || (master ? MasterLimitReached : UserLimitReached || Locked))
        {
            return IntelDsmStatus.InvalidState;
        }
        var ok = master ? CheckMaster(passphrase) : UserEnabled ? CheckUser(passphrase) : IsZero(passphrase);
        if (!ok)
        {
            return IntelDsmStatus.InvalidPass;
        }
        EraseMedia(0);
        return IntelDsmStatus.Success;
    }

    /// <summary>
    /// OVERWRITE: with the user passphrase (the zero key when disabled), starts an overwrite of
    /// <see cref="OverwriteSeconds"/>; the media is locked until it completes.
    /// </summary>
    public IntelDsmStatus Overwrite(ReadOnlySpan<byte> passphrase)
    {
        if (OverwriteUnsupported)
        {
            return IntelDsmStatus.OverwriteUnsupported;
        }
        if (Busy || UserLimitReached)
        {
            return IntelDsmStatus.InvalidState;
        }
        if (UserEnabled ? !CheckUser(passphrase) : !IsZero(passphrase))
        {
            return IntelDsmStatus.InvalidPass;
        }
        OverwriteInProgress = true;
        overwriteRan = true;
        machine.SetLocked(Device, true);
        clock.Queue(Device.Name + "/hw-overwrite", OverwriteSeconds, () =>
        {
            OverwriteInProgress = false;
            EraseMedia(OverwritePattern);
        });
        return IntelDsmStatus.Success;
    }

    /// <summary>QUERY_OVERWRITE: in progress, success once done, or a sequence error when no overwrite ever ran.</summary>
    public IntelDsmStatus QueryOverwrite()
    {
        if (OverwriteInProgress)
        {
            return IntelDsmStatus.QueryInProgress;
        }
        return overwriteRan ? IntelDsmStatus.Success : IntelDsmStatus.QuerySequenceError;
    }

    private void EraseMedia(byte fill)
    {
        machine.EraseDevice(Device, fill);
        Erasures++;
        userPassphrase = null;
        Locked = false;
        machine.SetLocked(Device, false);
    }
}
