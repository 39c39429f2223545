using Coherence.Kernel.Boot;

namespace Coherence.Kernel.Notifiers;

/// <summary>
/// <c>RAW_NOTIFIER_HEAD</c>: no locking at all; the caller provides it. Callbacks run in the caller's context (a
/// callback that may sleep is a bug only if the caller is atomic) and may register or unregister blocks on the
/// same chain while it is being called, with the linked-list effects of <c>notifier_call_chain</c>.
/// </summary>
public sealed class RawNotifierChain : NotifierChain
{
    /// <summary>Creates an empty chain (<c>RAW_NOTIFIER_HEAD(name)</c>).</summary>
    public RawNotifierChain(KernelModel kernel, string name) : base(kernel, name)
    {
    }

    /// <summary><c>raw_notifier_chain_register</c>: 0, or -EEXIST (with a WARN).</summary>
    public Errno Register(NotifierBlock block) => RegisterCore(block, uniquePriority: false);

    /// <summary><c>raw_notifier_chain_unregister</c>: 0, or -ENOENT.</summary>
    public Errno Unregister(NotifierBlock block) => UnregisterCore(block);

    /// <summary><c>raw_notifier_call_chain(nh, val, v)</c>.</summary>
    public int Call(ulong action, object? data = null) => CallChainCore(action, data, -1, out _);

    /// <summary>The call with the core's <c>nr_to_call</c> and <c>nr_calls</c>.</summary>
    public int Call(ulong action, object? data, int nrToCall, out int nrCalls) => CallChainCore(action, data, nrToCall, out nrCalls);

    /// <summary><c>raw_notifier_call_chain_robust(nh, val_up, val_down, v)</c>.</summary>
    public int CallRobust(ulong up, ulong down, object? data = null) => CallChainRobustCore(up, down, data);
}
