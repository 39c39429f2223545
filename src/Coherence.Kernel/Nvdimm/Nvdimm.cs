using Errno = Coherence.Kernel.Boot.Errno;
using KernelLogLevel = Coherence.Kernel.Boot.KernelLogLevel;

namespace Coherence.Kernel.Nvdimm;

/// <summary>
/// A DIMM as libnvdimm sees it (<c>struct nvdimm</c>) with the security core of <c>drivers/nvdimm/security.c</c>:
/// unlock at probe, freeze, disable, update, erase, overwrite and the overwrite query work, plus the sysfs
/// <c>security</c> and <c>frozen</c> attributes (<see cref="SecurityStore"/>, <see cref="SecurityShow"/>).
/// </summary>
/// <remarks>
/// Invariants: <see cref="SecurityFlags"/> and <see cref="MasterSecurityFlags"/> are re-read from the provider after
/// every operation; at most one of Disabled, Unlocked, Locked and Overwrite is set (a provider that reports more gets a
/// <c>dev_WARN_ONCE</c>). Under <see cref="NvdimmFlushPolicy.V6_2"/> a successful unlock, erase or overwrite sets
/// <see cref="NvdimmDeviceFlags.Incoherent"/>, which only a region activate clears.
/// </remarks>
public sealed partial class Nvdimm
{
    private const NvdimmSecurityFlags StateFlags = NvdimmSecurityFlags.Disabled | NvdimmSecurityFlags.Locked
        | NvdimmSecurityFlags.Unlocked | NvdimmSecurityFlags.Overwrite;

    private static readonly byte[] ZeroKey = new byte[KeyRing.PassphraseLength];

    internal Nvdimm(NvdimmBus bus, string name, string dimmId, INvdimmSecurityOps? ops)
    {
        Bus = bus;
        Name = name;
        DimmId = dimmId;
        Ops = ops;
        References = 1;
        SecurityFlags = ReadFlags(NvdimmPassphraseType.User);
        MasterSecurityFlags = ReadFlags(NvdimmPassphraseType.Master);
    }

    /// <summary>The bus.</summary>
    public NvdimmBus Bus { get; }

    /// <summary>The device name (<c>nmem0</c>).</summary>
    public string Name { get; }

    /// <summary>The DIMM id the key description is built from (<c>nvdimm:&lt;dimm_id&gt;</c>).</summary>
    public string DimmId { get; }

    /// <summary>The provider's ops, or null (no security).</summary>
    public INvdimmSecurityOps? Ops { get; }

    /// <summary><c>nvdimm-&gt;flags</c>.</summary>
    public NvdimmDeviceFlags Flags { get; internal set; }

    /// <summary><c>nvdimm-&gt;sec.flags</c> (user passphrase state).</summary>
    public NvdimmSecurityFlags SecurityFlags { get; private set; }

    /// <summary><c>nvdimm-&gt;sec.ext_flags</c> (master passphrase state).</summary>
    public NvdimmSecurityFlags MasterSecurityFlags { get; private set; }

    /// <summary><c>nvdimm-&gt;busy</c>: how many active (probed) regions use the DIMM.</summary>
    public int Busy { get; internal set; }

    /// <summary><c>nvdimm-&gt;sec.overwrite_tmo</c>: the overwrite query back-off in seconds (at most 900).</summary>
    public uint OverwriteTimeout { get; private set; }

    /// <summary>The device reference count (<c>get_device</c>/<c>put_device</c>); 1 when idle.</summary>
    public int References { get; private set; }

    /// <summary>How many times <c>sysfs_notify(overwrite_state)</c> fired.</summary>
    public int OverwriteStateNotifications { get; private set; }

    /// <summary>Times the overwrite query work ran and asked the provider (for back-off checks).</summary>
    public IReadOnlyList<long> OverwriteQueryTimes => queryTimes;

    private readonly List<long> queryTimes = [];

    /// <summary>The name of this DIMM's overwrite work item on <see cref="NvdimmBus.Work"/>.</summary>
    public string OverwriteWorkName => Name + "/dwork";

    private bool Has(NvdimmSecurityOpKinds op) => Ops is not null && (Ops.Provided & op) == op;

    private NvdimmSecurityFlags ReadFlags(NvdimmPassphraseType type)
    {
        if (Ops is null || !Has(NvdimmSecurityOpKinds.GetFlags))
        {
            return NvdimmSecurityFlags.None;
        }
        var flags = Ops.GetFlags(this, type);
        if (System.Numerics.BitOperations.PopCount((uint)(flags & StateFlags)) > 1)
        {
            Bus.Log.AddOnce(Name + "/invalid-state", KernelLogLevel.Warning, Name, $"reported invalid security state: {(int)flags:#x}", warnSplat: true);
        }
        return flags;
    }

    private void RefreshUser() => SecurityFlags = ReadFlags(NvdimmPassphraseType.User);

    private void RefreshMaster() => MasterSecurityFlags = ReadFlags(NvdimmPassphraseType.Master);

    private void Debug(string text) => Bus.Log.Add(KernelLogLevel.Debug, Name, text);

    /// <summary>
    /// <c>nvdimm_probe</c>: the DIMM driver binds and calls <c>nvdimm_security_unlock</c>. A failure is only logged
    /// (<c>dev_dbg "failed to unlock dimm: %d"</c>); the result is returned for inspection.
    /// </summary>
    public Errno Probe()
    {
        var rc = Unlock();
        if (rc != Errno.Ok)
        {
            Debug($"failed to unlock dimm: -{(int)rc}");
        }
        return rc;
    }

    /// <summary>
    /// <c>__nvdimm_security_unlock</c>: -EIO without ops, unlock op or flags; 0 when security is disabled; -EBUSY during
    /// overwrite; for a DIMM the pre-OS unlocked, revalidate the key (<see cref="NvdimmBus.KeyRevalidate"/>); otherwise
    /// <c>request_key("nvdimm:&lt;id&gt;")</c> (the zero key when there is none) and <c>ops-&gt;unlock</c>. Success sets
    /// NDD_INCOHERENT under v6.2.
    /// </summary>
    public Errno Unlock()
    {
        if (Ops is null || !Has(NvdimmSecurityOpKinds.Unlock) || SecurityFlags == NvdimmSecurityFlags.None)
        {
            return Errno.EIO;
        }
        if (Bus.SecurityTest)
        {
            RefreshUser();
        }
        if (SecurityFlags.HasFlag(NvdimmSecurityFlags.Disabled))
        {
            return Errno.Ok;
        }
        if (Flags.HasFlag(NvdimmDeviceFlags.SecurityOverwrite))
        {
            Debug("Security operation in progress.");
            return Errno.EBUSY;
        }
        if (SecurityFlags.HasFlag(NvdimmSecurityFlags.Unlocked))
        {
            return Bus.KeyRevalidate ? KeyRevalidate() : Errno.Ok;
        }
        var key = RequestKey();
        var rc = Ops.Unlock(this, key?.Payload ?? ZeroKey);
        Debug($"key: {key?.Serial ?? 0} unlock: {(rc == Errno.Ok ? "success" : "fail")}");
        if (rc == Errno.Ok)
        {
            MarkIncoherent();
        }
        RefreshUser();
        return rc;
    }

    private Errno KeyRevalidate()
    {
        if (!Has(NvdimmSecurityOpKinds.ChangeKey))
        {
            return Errno.EOPNOTSUPP;
        }
        var data = RequestKey()?.Payload ?? ZeroKey;
        var rc = Ops!.ChangeKey(this, data, data, NvdimmPassphraseType.User);
        if (rc != Errno.Ok)
        {
            return rc;
        }
        RefreshUser();
        return Errno.Ok;
    }

    /// <summary><c>nvdimm_request_key</c>: the encrypted key "nvdimm:&lt;dimm_id&gt;" of 32 bytes, or null.</summary>
    private Key? RequestKey()
    {
        var key = Bus.Keys.Request(KeyType.Encrypted, "nvdimm:" + DimmId);
        if (key is null)
        {
            Debug("request_key() found no key");
            return null;
        }
        return key.Payload.Length == KeyRing.PassphraseLength ? key : null;
    }

    /// <summary>
    /// <c>nvdimm_get_user_key_payload</c>: key id 0 is the zero key for the base key and an error (null) for the new key;
    /// otherwise the key must exist, be of type encrypted and hold 32 bytes.
    /// </summary>
    private byte[]? UserKeyPayload(uint id, bool newKey)
    {
        if (id == 0)
        {
            return newKey ? null : ZeroKey;
        }
        var key = Bus.Keys.Lookup(unchecked((int)id));
        if (key is null || key.Type != KeyType.Encrypted || key.Payload.Length != KeyRing.PassphraseLength)
        {
            return null;
        }
        return key.Payload;
    }

    /// <summary><c>check_security_state</c>: FROZEN gives -EIO, a running overwrite -EBUSY.</summary>
    private Errno CheckSecurityState()
    {
        if (SecurityFlags.HasFlag(NvdimmSecurityFlags.Frozen))
        {
            Debug($"Incorrect security state: {(int)SecurityFlags:#x}");
            return Errno.EIO;
        }
        if (Flags.HasFlag(NvdimmDeviceFlags.SecurityOverwrite))
        {
            Debug("Security operation in progress.");
            return Errno.EBUSY;
        }
        return Errno.Ok;
    }

    private void MarkIncoherent()
    {
        if (Bus.Policy == NvdimmFlushPolicy.V6_2)
        {
            Flags |= NvdimmDeviceFlags.Incoherent;
        }
    }

    /// <summary><c>nvdimm_security_freeze</c>: -EOPNOTSUPP without the op, -EIO with flags 0, -EBUSY during overwrite.</summary>
    public Errno Freeze()
    {
        if (Ops is null || !Has(NvdimmSecurityOpKinds.Freeze))
        {
            return Errno.EOPNOTSUPP;
        }
        if (SecurityFlags == NvdimmSecurityFlags.None)
        {
            return Errno.EIO;
        }
        if (Flags.HasFlag(NvdimmDeviceFlags.SecurityOverwrite))
        {
            Bus.Log.Add(KernelLogLevel.Warning, Name, "Overwrite operation in progress.");
            return Errno.EBUSY;
        }
        var rc = Ops.Freeze(this);
        RefreshUser();
        return rc;
    }

    /// <summary><c>security_disable</c> (user: <c>disable</c>, master: <c>disable_master</c>).</summary>
    public Errno Disable(uint keyId, NvdimmPassphraseType type)
    {
        if (Ops is null || SecurityFlags == NvdimmSecurityFlags.None)
        {
            return Errno.EOPNOTSUPP;
        }
        if (type == NvdimmPassphraseType.User && !Has(NvdimmSecurityOpKinds.Disable))
        {
            return Errno.EOPNOTSUPP;
        }
        if (type == NvdimmPassphraseType.Master && !Has(NvdimmSecurityOpKinds.DisableMaster))
        {
            return Errno.EOPNOTSUPP;
        }
        var rc = CheckSecurityState();
        if (rc != Errno.Ok)
        {
            return rc;
        }
        var data = UserKeyPayload(keyId, newKey: false);
        if (data is null)
        {
            return Errno.ENOKEY;
        }
        rc = type == NvdimmPassphraseType.Master ? Ops.DisableMaster(this, data) : Ops.Disable(this, data);
        Debug($"key: {keyId} disabled{(type == NvdimmPassphraseType.Master ? "(master)" : "")}: {(rc == Errno.Ok ? "success" : "fail")}");
        if (type == NvdimmPassphraseType.Master)
        {
            RefreshMaster();
        }
        else
        {
            RefreshUser();
        }
        return rc;
    }

    /// <summary>The common start of update, erase and overwrite: -EOPNOTSUPP without the op or a security state, then
    /// <c>check_security_state()</c>; true when the operation may go on.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Ops))]
    private bool KeyedOpAllowed(NvdimmSecurityOpKinds op, out Errno rc)
    {
        rc = Ops is null || !Has(op) || SecurityFlags == NvdimmSecurityFlags.None ? Errno.EOPNOTSUPP : CheckSecurityState();
        return rc == Errno.Ok && Ops is not null;
    }

    /// <summary><c>security_update</c> (user: <c>update</c>, master: <c>master_update</c>).</summary>
    public Errno Update(uint keyId, uint newKeyId, NvdimmPassphraseType type)
    {
        if (!KeyedOpAllowed(NvdimmSecurityOpKinds.ChangeKey, out var rc))
        {
            return rc;
        }
        var data = UserKeyPayload(keyId, newKey: false);
        if (data is null)
        {
            return Errno.ENOKEY;
        }
        var newData = UserKeyPayload(newKeyId, newKey: true);
        if (newData is null)
        {
            return Errno.ENOKEY;
        }
        rc = Ops.ChangeKey(this, data, newData, type);
        Debug($"key: {keyId} {newKeyId} update{(type == NvdimmPassphraseType.Master ? "(master)" : "(user)")}: {(rc == Errno.Ok ? "success" : "fail")}");
        if (type == NvdimmPassphraseType.Master)
        {
            RefreshMaster();
        }
        else
        {
            RefreshUser();
        }
        return rc;
    }

    /// <summary>
    /// <c>security_erase</c> (user: <c>erase</c>, master: <c>master_erase</c>, which needs ext_flags UNLOCKED, else
    /// -EOPNOTSUPP). Success sets NDD_INCOHERENT under v6.2. The sysfs busy check is in <see cref="SecurityStore"/>.
    /// </summary>
    public Errno Erase(uint keyId, NvdimmPassphraseType type)
    {
        if (!KeyedOpAllowed(NvdimmSecurityOpKinds.Erase, out var rc))
        {
            return rc;
        }
        if (type == NvdimmPassphraseType.Master && !MasterSecurityFlags.HasFlag(NvdimmSecurityFlags.Unlocked))
        {
            Debug("Attempt to secure erase in wrong master state.");
            return Errno.EOPNOTSUPP;
        }
        var data = UserKeyPayload(keyId, newKey: false);
        if (data is null)
        {
            return Errno.ENOKEY;
        }
        rc = Ops.Erase(this, data, type);
        if (rc == Errno.Ok)
        {
            MarkIncoherent();
        }
        Debug($"key: {keyId} erase{(type == NvdimmPassphraseType.Master ? "(master)" : "(user)")}: {(rc == Errno.Ok ? "success" : "fail")}");
        RefreshUser();
        return rc;
    }

    /// <summary>
    /// <c>security_overwrite</c>: on success sets NDD_INCOHERENT (v6.2), NDD_SECURITY_OVERWRITE, NDD_WORK_PENDING and
    /// sec.flags OVERWRITE, takes a device reference and queues the query work with delay 0.
    /// </summary>
    public Errno Overwrite(uint keyId)
    {
        if (!KeyedOpAllowed(NvdimmSecurityOpKinds.Overwrite, out var rc))
        {
            return rc;
        }
        var data = UserKeyPayload(keyId, newKey: false);
        if (data is null)
        {
            return Errno.ENOKEY;
        }
        rc = Ops.Overwrite(this, data);
        if (rc == Errno.Ok)
        {
            MarkIncoherent();
        }
        Debug($"key: {keyId} overwrite submission: {(rc == Errno.Ok ? "success" : "fail")}");
        if (rc == Errno.Ok)
        {
            Flags |= NvdimmDeviceFlags.SecurityOverwrite | NvdimmDeviceFlags.WorkPending;
            SecurityFlags |= NvdimmSecurityFlags.Overwrite;
            References++;
            Bus.Work.Queue(OverwriteWorkName, 0, OverwriteQuery);
        }
        return rc;
    }

    /// <summary>
    /// <c>__nvdimm_security_overwrite_query</c> (the delayed work, run with the bus lock): returns at once when
    /// NDD_WORK_PENDING is clear; -EBUSY from the provider requeues after <c>tmo + 10</c> seconds and stores
    /// <c>min(900, tmo + 10)</c> (so the interval grows by 10 s per poll and settles at 910 s); anything else
    /// finishes: clears the flags, refreshes both flag sets, notifies <c>overwrite_state</c> and drops the reference.
    /// </summary>
    private void OverwriteQuery()
    {
        if (!Flags.HasFlag(NvdimmDeviceFlags.WorkPending))
        {
            return;
        }
        var tmo = OverwriteTimeout;
        if (Ops is null || !Has(NvdimmSecurityOpKinds.QueryOverwrite) || SecurityFlags == NvdimmSecurityFlags.None)
        {
            return;
        }
        queryTimes.Add(Bus.Work.Now);
        var rc = Ops.QueryOverwrite(this);
        if (rc == Errno.EBUSY)
        {
            tmo += 10;
            Bus.Work.Queue(OverwriteWorkName, tmo, OverwriteQuery);
            OverwriteTimeout = Math.Min(15u * 60u, tmo);
            return;
        }
        Debug(rc != Errno.Ok ? "overwrite failed" : "overwrite completed");
        OverwriteTimeout = 0;
        Flags &= ~(NvdimmDeviceFlags.SecurityOverwrite | NvdimmDeviceFlags.WorkPending);
        RefreshUser();
        RefreshMaster();
        OverwriteStateNotifications++;
        References--;
    }
}
