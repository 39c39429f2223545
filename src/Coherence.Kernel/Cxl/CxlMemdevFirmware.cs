using Coherence.Kernel.Nvdimm;
using Coherence.Platform;
using Coherence.Platform.Devices;

namespace Coherence.Kernel.Cxl;

/// <summary>
/// The mailbox side of a CXL type-3 memory device: the persistent-memory security state machine, sanitize and secure
/// erase, driving a platform <see cref="MemoryDevice"/>. Every command is recorded in <see cref="Sent"/>. Firmware rules
/// follow the CXL specification's security commands as far as the kernel observes them (inferred where noted).
/// </summary>
/// <remarks>
/// Platform effects: unlock calls <see cref="Machine.SetLocked"/>(false); passphrase secure erase and secure erase call
/// <see cref="Machine.EraseDevice"/> at once; sanitize runs in the background for <see cref="SanitizeSeconds"/> and
/// erases when it completes (a hardware event on the <see cref="DelayedWorkQueue"/>). <see cref="PowerCycle"/> locks a
/// device with a user passphrase and clears freeze and attempt limits.
/// </remarks>
public sealed class CxlMemdevFirmware
{
    private readonly Machine machine;
    private readonly DelayedWorkQueue clock;
    private readonly List<CxlMboxOpcode> sent = [];
    private byte[]? userPassphrase;
    private byte[]? masterPassphrase;
    private int userFailures;
    private int masterFailures;

    /// <summary>Creates a device with no passphrase, unlocked.</summary>
    public CxlMemdevFirmware(Machine machine, MemoryDevice device, DelayedWorkQueue clock)
    {
        this.machine = machine;
        this.clock = clock;
        Device = device;
    }

    /// <summary>The media.</summary>
    public MemoryDevice Device { get; }

    /// <summary>Every opcode received, in order.</summary>
    public IReadOnlyList<CxlMboxOpcode> Sent => sent;

    /// <summary>Opcodes the device answers with UNSUPPORTED.</summary>
    public HashSet<CxlMboxOpcode> Unsupported { get; } = [];

    /// <summary>Seconds a sanitize runs in the background.</summary>
    public long SanitizeSeconds { get; set; }

    /// <summary>Wrong passphrases accepted before the attempt limit (inferred: 3).</summary>
    public int PassphraseAttemptLimit { get; set; } = 3;

    /// <summary>When set, GET_SECURITY_STATE reports this instead of the real state (to reach states real firmware never reports).</summary>
    public CxlSecurityState? ReportedStateOverride { get; set; }

    /// <summary>True while sanitize runs.</summary>
    public bool BackgroundBusy { get; private set; }

    /// <summary>True while the media is locked.</summary>
    public bool Locked { get; private set; }

    /// <summary>True after FREEZE_SECURITY until the next power cycle.</summary>
    public bool Frozen { get; private set; }

    /// <summary>Number of media erasures done.</summary>
    public int Erasures { get; private set; }

    /// <summary>The real security state.</summary>
    public CxlSecurityState State
    {
        get
        {
            var s = CxlSecurityState.None;
            if (userPassphrase is not null)
            {
                s |= CxlSecurityState.UserPassSet;
            }
            if (masterPassphrase is not null)
            {
                s |= CxlSecurityState.MasterPassSet;
            }
            if (Locked)
            {
                s |= CxlSecurityState.Locked;
            }
            if (Frozen)
            {
                s |= CxlSecurityState.Frozen;
            }
            if (userFailures >= PassphraseAttemptLimit)
            {
                s |= CxlSecurityState.UserPassphraseLimit;
            }
            if (masterFailures >= PassphraseAttemptLimit)
            {
                s |= CxlSecurityState.MasterPassphraseLimit;
            }
            return s;
        }
    }

    /// <summary>A power cycle: locked again when a user passphrase is set; freeze and attempt limits cleared.</summary>
    public void PowerCycle()
    {
        Frozen = false;
        userFailures = 0;
        masterFailures = 0;
        Locked = userPassphrase is not null;
        machine.SetLocked(Device, Locked);
    }

    private bool Begin(CxlMboxOpcode op, out CxlMboxReturnCode rc)
    {
        sent.Add(op);
        if (Unsupported.Contains(op))
        {
            rc = CxlMboxReturnCode.Unsupported;
            return false;
        }
        if (BackgroundBusy && op != CxlMboxOpcode.GetSecurityState)
        {
            rc = CxlMboxReturnCode.Busy;
            return false;
        }
        rc = CxlMboxReturnCode.Success;
        return true;
    }

    private bool Check(CxlPassphraseType type, ReadOnlySpan<byte> passphrase)
    {
        var stored = type == CxlPassphraseType.User ? userPassphrase : masterPassphrase;
        if (stored is not null && passphrase.SequenceEqual(stored))
        {
            return true;
        }
        if (type == CxlPassphraseType.User)
        {
            userFailures++;
        }
        else
        {
            masterFailures++;
        }
        return false;
    }

    private bool Limited(CxlPassphraseType type) =>
        (type == CxlPassphraseType.User ? userFailures : masterFailures) >= PassphraseAttemptLimit;

    /// <summary>GET_SECURITY_STATE (0x4500).</summary>
    public CxlMboxReturnCode GetSecurityState(out CxlSecurityState state)
    {
        state = CxlSecurityState.None;
        if (!Begin(CxlMboxOpcode.GetSecurityState, out var rc))
        {
            return rc;
        }
        state = ReportedStateOverride ?? State;
        return CxlMboxReturnCode.Success;
    }

    /// <summary>
    /// SET_PASSPHRASE (0x4501): frozen, limited or (user) locked gives INVALID_SECURITY_STATE; when that passphrase is
    /// set the current one must match (inferred: when it is not set the current field is ignored).
    /// </summary>
    public CxlMboxReturnCode SetPassphrase(CxlPassphraseType type, ReadOnlySpan<byte> current, ReadOnlySpan<byte> newPassphrase)
    {
        if (!Begin(CxlMboxOpcode.SetPassphrase, out var rc))
        {
            return rc;
        }
        if (Frozen || Limited(type) || (type == CxlPassphraseType.User && Locked))
        {
            return CxlMboxReturnCode.InvalidSecurityState;
        }
        var set = type == CxlPassphraseType.User ? userPassphrase is not null : masterPassphrase is not null;
        if (set && !Check(type, current))
        {
            return CxlMboxReturnCode.IncorrectPassphrase;
        }
        if (type == CxlPassphraseType.User)
        {
            userPassphrase = newPassphrase.ToArray();
        }
        else
        {
            masterPassphrase = newPassphrase.ToArray();
        }
        return CxlMboxReturnCode.Success;
    }

    /// <summary>DISABLE_PASSPHRASE (0x4502): the passphrase must be set, the device not frozen or (user) locked, and it must match.</summary>
    public CxlMboxReturnCode DisablePassphrase(CxlPassphraseType type, ReadOnlySpan<byte> passphrase)
    {
        if (!Begin(CxlMboxOpcode.DisablePassphrase, out var rc))
        {
            return rc;
        }
        var set = type == CxlPassphraseType.User ? userPassphrase is not null : masterPassphrase is not null;
        if (!set || Frozen || Limited(type) || (type == CxlPassphraseType.User && Locked))
        {
            return CxlMboxReturnCode.InvalidSecurityState;
        }
        if (!Check(type, passphrase))
        {
            return CxlMboxReturnCode.IncorrectPassphrase;
        }
        if (type == CxlPassphraseType.User)
        {
            userPassphrase = null;
        }
        else
        {
            masterPassphrase = null;
        }
        return CxlMboxReturnCode.Success;
    }

    /// <summary>UNLOCK (0x4503): only a locked device with a user passphrase, not frozen or limited; unlocks the media.</summary>
    public CxlMboxReturnCode Unlock(ReadOnlySpan<byte> passphrase)
    {
        if (!Begin(CxlMboxOpcode.Unlock, out var rc))
        {
            return rc;
        }
        if (!Locked || userPassphrase is null || Frozen || Limited(CxlPassphraseType.User))
        {
            return CxlMboxReturnCode.InvalidSecurityState;
        }
        if (!Check(CxlPassphraseType.User, passphrase))
        {
            return CxlMboxReturnCode.IncorrectPassphrase;
        }
        Locked = false;
        machine.SetLocked(Device, false);
        return CxlMboxReturnCode.Success;
    }

    /// <summary>FREEZE_SECURITY (0x4504).</summary>
    public CxlMboxReturnCode FreezeSecurity()
    {
        if (!Begin(CxlMboxOpcode.FreezeSecurity, out var rc))
        {
            return rc;
        }
        Frozen = true;
        return CxlMboxReturnCode.Success;
    }

    /// <summary>
    /// PASSPHRASE_SECURE_ERASE (0x4505): erases the media (<see cref="Machine.EraseDevice"/>). With the master
    /// passphrase it works on a locked device and also removes the user passphrase and unlocks (inferred); with the
    /// user passphrase the device must be unlocked.
    /// </summary>
    public CxlMboxReturnCode PassphraseSecureErase(CxlPassphraseType type, ReadOnlySpan<byte> passphrase)
    {
        if (!Begin(CxlMboxOpcode.PassphraseSecureErase, out var rc))
        {
            return rc;
        }
        var set = type == CxlPassphraseType.User ? userPassphrase is not null : masterPassphrase is not null;
        if (!set || Frozen || Limited(type) || (type == CxlPassphraseType.User && Locked))
        {
            return CxlMboxReturnCode.InvalidSecurityState;
        }
        if (!Check(type, passphrase))
        {
            return CxlMboxReturnCode.IncorrectPassphrase;
        }
        EraseMedia(0);
        if (type == CxlPassphraseType.Master)
        {
            userPassphrase = null;
            Locked = false;
            machine.SetLocked(Device, false);
        }
        return CxlMboxReturnCode.Success;
    }

    /// <summary>SANITIZE (0x4400): refused while a user passphrase is set; runs in the background and erases at the end.</summary>
    public CxlMboxReturnCode Sanitize()
    {
        if (!Begin(CxlMboxOpcode.Sanitize, out var rc))
        {
            return rc;
        }
        if (userPassphrase is not null || Frozen)
        {
            return CxlMboxReturnCode.InvalidSecurityState;
        }
        BackgroundBusy = true;
        clock.Queue(Device.Name + "/hw-sanitize", SanitizeSeconds, () =>
        {
            BackgroundBusy = false;
            EraseMedia(0);
        });
        return CxlMboxReturnCode.Background;
    }

    /// <summary>SECURE_ERASE (0x4401): a crypto erase, refused while locked.</summary>
    public CxlMboxReturnCode SecureErase()
    {
        if (!Begin(CxlMboxOpcode.SecureErase, out var rc))
        {
            return rc;
        }
        if (Locked || Frozen)
        {
            return CxlMboxReturnCode.InvalidSecurityState;
        }
        EraseMedia(0);
        return CxlMboxReturnCode.Success;
    }

    private void EraseMedia(byte fill)
    {
        machine.EraseDevice(Device, fill);
        Erasures++;
    }
}
