using Coherence.Kernel.Boot;

namespace Coherence.Kernel.Notifiers;

/// <summary>
/// <c>BLOCKING_NOTIFIER_HEAD</c>: callbacks run in process context and may sleep. Register and unregister take the
/// rwsem for write (without locking while <c>system_state == SYSTEM_BOOTING</c>); a call on an empty chain returns
/// NOTIFY_DONE without touching the lock, otherwise it holds the rwsem for read. Observable in the model: taking
/// the rwsem in atomic context is "BUG: sleeping function called from invalid context"; a callback that registers
/// or unregisters on the chain it is called from (outside boot) deadlocks, reported and thrown as
/// <see cref="KernelHangException"/>.
/// </summary>
public sealed class BlockingNotifierChain : NotifierChain
{
    private const string RwsemFile = "kernel/locking/rwsem.c";
    private int readers;

    /// <summary>Creates an empty chain (<c>BLOCKING_NOTIFIER_HEAD(name)</c>).</summary>
    public BlockingNotifierChain(KernelModel kernel, string name) : base(kernel, name)
    {
    }

    /// <summary><c>blocking_notifier_chain_register</c>: 0, or -EEXIST (with a WARN) if already registered.</summary>
    public Errno Register(NotifierBlock block) => Modify("blocking_notifier_chain_register", () => RegisterCore(block, uniquePriority: false));

    /// <summary><c>blocking_notifier_chain_register_unique_prio</c>: as <see cref="Register"/>, -EBUSY on an equal priority.</summary>
    public Errno RegisterUniquePriority(NotifierBlock block) => Modify("blocking_notifier_chain_register_unique_prio", () => RegisterCore(block, uniquePriority: true));

    /// <summary><c>blocking_notifier_chain_unregister</c>: 0, or -ENOENT.</summary>
    public Errno Unregister(NotifierBlock block) => Modify("blocking_notifier_chain_unregister", () => UnregisterCore(block));

    /// <summary><c>blocking_notifier_call_chain(nh, val, v)</c>: the last callback's value, NOTIFY_DONE when empty.</summary>
    public int Call(ulong action, object? data = null) => Call(action, data, -1, out _);

    /// <summary>The call with the core's <c>nr_to_call</c> (-1: all) and <c>nr_calls</c>.</summary>
    public int Call(ulong action, object? data, int nrToCall, out int nrCalls)
    {
        nrCalls = 0;
        if (IsEmpty)
        {
            return NotifyResult.Done;
        }
        DownRead("blocking_notifier_call_chain");
        try
        {
            return CallChainCore(action, data, nrToCall, out nrCalls);
        }
        finally
        {
            readers--;
        }
    }

    /// <summary><c>blocking_notifier_call_chain_robust(nh, val_up, val_down, v)</c>.</summary>
    public int CallRobust(ulong up, ulong down, object? data = null)
    {
        if (IsEmpty)
        {
            return NotifyResult.Done;
        }
        DownRead("blocking_notifier_call_chain_robust");
        try
        {
            return CallChainRobustCore(up, down, data);
        }
        finally
        {
            readers--;
        }
    }

    private void DownRead(string function)
    {
        if (Kernel.InAtomic)
        {
            Kernel.ReportBug(KernelWarningKind.SleepInAtomic, function, RwsemFile, $"down_read(&{Name}.rwsem)");
        }
        readers++;
    }

    private Errno Modify(string function, Func<Errno> op)
    {
        if (Kernel.SystemState == SystemState.Booting)
        {
            return op();
        }
        if (Kernel.InAtomic)
        {
            Kernel.ReportBug(KernelWarningKind.SleepInAtomic, function, RwsemFile, $"down_write(&{Name}.rwsem)");
        }
        if (readers > 0)
        {
            Kernel.ReportBug(KernelWarningKind.Deadlock, function, RwsemFile, $"down_write(&{Name}.rwsem) while holding it for read");
            throw new KernelHangException($"{function} on {Name} from one of its own callbacks: the kernel deadlocks on the rwsem");
        }
        return op();
    }
}
