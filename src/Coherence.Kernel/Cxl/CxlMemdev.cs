using Coherence.Kernel.Nvdimm;
using Errno = Coherence.Kernel.Boot.Errno;
using KernelLogLevel = Coherence.Kernel.Boot.KernelLogLevel;

namespace Coherence.Kernel.Cxl;

/// <summary>
/// A CXL memory device as the kernel sees it (<c>struct cxl_memdev</c> and <c>cxl_memdev_state</c>): the mailbox,
/// the cached security state, the sanitize poll, the sysfs <c>security/state</c>, <c>security/sanitize</c> and
/// <c>security/erase</c> attributes, and <see cref="CreateNvdimm"/> for the libnvdimm bridge whose ops are
/// <see cref="CxlPmemSecurityOps"/>.
/// </summary>
public sealed class CxlMemdev
{
    private readonly CxlSubsystem cxl;

    internal CxlMemdev(CxlSubsystem cxl, string name, CxlMemdevFirmware firmware)
    {
        this.cxl = cxl;
        Name = name;
        Firmware = firmware;
    }

    /// <summary>The device name (<c>mem0</c>).</summary>
    public string Name { get; }

    /// <summary>The mailbox.</summary>
    public CxlMemdevFirmware Firmware { get; }

    /// <summary>The endpoint port (<c>cxlmd-&gt;endpoint</c>), or null before the endpoint is enumerated.</summary>
    public CxlPort? Endpoint { get; internal set; }

    /// <summary><c>mds-&gt;security.state</c>: the state cached by the last GET_SECURITY_STATE.</summary>
    public CxlSecurityState CachedSecurityState { get; internal set; }

    /// <summary><c>mds-&gt;security.sanitize_active</c>.</summary>
    public bool SanitizeActive { get; private set; }

    /// <summary><c>mds-&gt;security.poll_tmo_secs</c>.</summary>
    public int SanitizePollTimeout { get; private set; }

    /// <summary>Times the sanitize poll work asked the device.</summary>
    public IReadOnlyList<long> SanitizePollTimes => pollTimes;

    private readonly List<long> pollTimes = [];

    /// <summary>The libnvdimm DIMM bridged to this memdev (<c>cxl_nvdimm</c>), once created.</summary>
    public Nvdimm.Nvdimm? Nvdimm { get; private set; }

    /// <summary><c>cxl_nvdimm_probe</c>: registers the memdev with <paramref name="bus"/> with the CXL security ops.</summary>
    public Nvdimm.Nvdimm CreateNvdimm(NvdimmBus bus)
    {
        Nvdimm = bus.AddDimm("nmem-" + Name, Name, new CxlPmemSecurityOps(this));
        return Nvdimm;
    }

    /// <summary>
    /// A mailbox command through <c>cxl_internal_send_cmd</c>: SUCCESS and BACKGROUND are 0, every other return code
    /// is -ENXIO (<c>cxl_mbox_cmd_rc2errno</c>). A SANITIZE that starts marks <see cref="SanitizeActive"/> and
    /// schedules the poll ("give first timeout a second").
    /// </summary>
    internal Errno Send(CxlMboxOpcode opcode, Func<CxlMboxReturnCode> command)
    {
        if (opcode == CxlMboxOpcode.Sanitize && SanitizeActive)
        {
            return Errno.EBUSY;
        }
        var rc = command();
        if (rc == CxlMboxReturnCode.Background && opcode == CxlMboxOpcode.Sanitize)
        {
            SanitizePollTimeout = 1;
            SanitizeActive = true;
            cxl.Work.Queue(Name + "/sanitize-poll", 1, SanitizeWork);
            cxl.Log.Add(KernelLogLevel.Debug, Name, "Sanitization operation started");
        }
        return rc is CxlMboxReturnCode.Success or CxlMboxReturnCode.Background ? Errno.Ok : Errno.ENXIO;
    }

    /// <summary>
    /// <c>cxl_mbox_sanitize_work</c>: when the background command completed, clear sanitize_active; otherwise requeue
    /// after <c>tmo + 10</c> seconds and store <c>min(900, tmo + 10)</c> (recalled from drivers/cxl/pci.c).
    /// </summary>
    private void SanitizeWork()
    {
        pollTimes.Add(cxl.Work.Now);
        if (!Firmware.BackgroundBusy)
        {
            SanitizePollTimeout = 0;
            SanitizeActive = false;
            cxl.Log.Add(KernelLogLevel.Debug, Name, "Sanitization operation ended");
            return;
        }
        var timeout = SanitizePollTimeout + 10;
        SanitizePollTimeout = Math.Min(15 * 60, timeout);
        cxl.Work.Queue(Name + "/sanitize-poll", timeout, SanitizeWork);
    }

    /// <summary>
    /// <c>cxl_mem_sanitize(cxlmd, cmd)</c>: only with an endpoint that has no committed decoder (else -EBUSY); then
    /// -EINVAL unless cmd is SANITIZE or SECURE_ERASE, GET_SECURITY_STATE (its failure is returned), -EINVAL when
    /// USER_PASS_SET, -EINVAL for SECURE_ERASE while LOCKED, then the command. No cache maintenance: the next region
    /// commit invalidates.
    /// </summary>
    public Errno Sanitize(CxlMboxOpcode command)
    {
        if (Endpoint is null || Endpoint.NumDecodersCommitted != 0)
        {
            return Errno.EBUSY;
        }
        if (command is not CxlMboxOpcode.Sanitize and not CxlMboxOpcode.SecureErase)
        {
            return Errno.EINVAL;
        }
        var state = CxlSecurityState.None;
        var rc = Send(CxlMboxOpcode.GetSecurityState, () => Firmware.GetSecurityState(out state));
        if (rc != Errno.Ok)
        {
            cxl.Log.Add(KernelLogLevel.Err, Name, $"Failed to get security state : -{(int)rc}");
            return rc;
        }
        if (state.HasFlag(CxlSecurityState.UserPassSet))
        {
            return Errno.EINVAL;
        }
        if (command == CxlMboxOpcode.SecureErase && state.HasFlag(CxlSecurityState.Locked))
        {
            return Errno.EINVAL;
        }
        rc = command == CxlMboxOpcode.Sanitize ? Send(command, Firmware.Sanitize) : Send(command, Firmware.SecureErase);
        if (rc != Errno.Ok)
        {
            cxl.Log.Add(KernelLogLevel.Err, Name, $"Failed to sanitize device : -{(int)rc}");
        }
        return rc;
    }

    /// <summary>sysfs <c>security/sanitize</c>: <c>kstrtobool</c>; false gives -EINVAL; true runs <see cref="Sanitize"/>(SANITIZE).</summary>
    public Errno SanitizeStore(string buffer) => BoolStore(buffer, CxlMboxOpcode.Sanitize);

    /// <summary>sysfs <c>security/erase</c>: as <see cref="SanitizeStore"/> with SECURE_ERASE.</summary>
    public Errno EraseStore(string buffer) => BoolStore(buffer, CxlMboxOpcode.SecureErase);

    private Errno BoolStore(string buffer, CxlMboxOpcode command)
    {
        var rc = KstrToBool(buffer, out var value);
        if (rc != Errno.Ok)
        {
            return rc;
        }
        return value ? Sanitize(command) : Errno.EINVAL;
    }

    /// <summary><c>kstrtobool</c>: y/Y/1/on → true, n/N/0/off → false, anything else -EINVAL.</summary>
    internal static Errno KstrToBool(string s, out bool value)
    {
        value = false;
        if (s.Length == 0)
        {
            return Errno.EINVAL;
        }
        switch (s[0])
        {
            case 'y' or 'Y' or '1':
                value = true;
                return Errno.Ok;
            case 'n' or 'N' or '0':
                return Errno.Ok;
            case 'o' or 'O' when s.Length > 1:
                if (s[1] is 'n' or 'N')
                {
                    value = true;
                    return Errno.Ok;
                }
                return s[1] is 'f' or 'F' ? Errno.Ok : Errno.EINVAL;
            default:
                return Errno.EINVAL;
        }
    }

    /// <summary>
    /// sysfs <c>security/state</c>: "sanitize" while sanitizing, else from the cached state: "disabled" without a user
    /// passphrase, "frozen" for FROZEN or either PLIMIT, "locked", or "unlocked".
    /// </summary>
    public string SecurityStateShow()
    {
        if (SanitizeActive)
        {
            return "sanitize\n";
        }
        var state = CachedSecurityState;
        if (!state.HasFlag(CxlSecurityState.UserPassSet))
        {
            return "disabled\n";
        }
        if (state.HasFlag(CxlSecurityState.Frozen) || state.HasFlag(CxlSecurityState.MasterPassphraseLimit)
            || state.HasFlag(CxlSecurityState.UserPassphraseLimit))
        {
            return "frozen\n";
        }
        return state.HasFlag(CxlSecurityState.Locked) ? "locked\n" : "unlocked\n";
    }
}
