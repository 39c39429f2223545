using Coherence.Kernel.Boot;

namespace Coherence.Kernel.Notifiers;

/// <summary>
/// <c>ATOMIC_NOTIFIER_HEAD</c>: callbacks run inside an RCU read-side critical section and must not sleep.
/// Register takes a spinlock (allowed anywhere, even from a callback); unregister takes the spinlock and then
/// calls <c>synchronize_rcu()</c>, which may sleep. Observable in the model: a callback that may sleep is a
/// "sleeping function called from invalid context" bug; unregistering in atomic context is the same bug; and
/// unregistering inside any RCU read-side section (for example from a callback) deadlocks, reported and thrown as
/// <see cref="KernelHangException"/>.
/// </summary>
public sealed class AtomicNotifierChain : NotifierChain
{
    /// <summary>Creates an empty chain (<c>ATOMIC_NOTIFIER_HEAD(name)</c>).</summary>
    public AtomicNotifierChain(KernelModel kernel, string name) : base(kernel, name)
    {
    }

    /// <summary><c>atomic_notifier_chain_register</c>: 0, or -EEXIST (with a WARN).</summary>
    public Errno Register(NotifierBlock block) => RegisterCore(block, uniquePriority: false);

    /// <summary><c>atomic_notifier_chain_register_unique_prio</c>: -EBUSY on an equal priority.</summary>
    public Errno RegisterUniquePriority(NotifierBlock block) => RegisterCore(block, uniquePriority: true);

    /// <summary><c>atomic_notifier_chain_unregister</c>: 0, or -ENOENT; then synchronize_rcu().</summary>
    public Errno Unregister(NotifierBlock block)
    {
        var r = UnregisterCore(block);
        if (Kernel.RcuReadDepth > 0)
        {
            Kernel.ReportBug(KernelWarningKind.Deadlock, "atomic_notifier_chain_unregister", "kernel/rcu/tree.c", "Illegal synchronize_rcu() in RCU read-side critical section");
            throw new KernelHangException($"atomic_notifier_chain_unregister on {Name} inside an RCU read-side critical section: synchronize_rcu() never returns");
        }
        if (Kernel.InAtomic)
        {
            Kernel.ReportBug(KernelWarningKind.SleepInAtomic, "atomic_notifier_chain_unregister", "kernel/rcu/tree.c", "synchronize_rcu");
        }
        return r;
    }

    /// <summary><c>atomic_notifier_call_chain(nh, val, v)</c> under rcu_read_lock.</summary>
    public int Call(ulong action, object? data = null) => Call(action, data, -1, out _);

    /// <summary>The call with the core's <c>nr_to_call</c> and <c>nr_calls</c>.</summary>
    public int Call(ulong action, object? data, int nrToCall, out int nrCalls)
    {
        Kernel.RcuReadLock();
        try
        {
            return CallChainCore(action, data, nrToCall, out nrCalls);
        }
        finally
        {
            Kernel.RcuReadUnlock();
        }
    }

    /// <summary><c>atomic_notifier_call_chain_is_empty</c>.</summary>
    public bool CallChainIsEmpty() => IsEmpty;
}
