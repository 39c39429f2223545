using Coherence.Kernel.Boot;
using Coherence.Platform;

namespace Coherence.Kernel.Notifiers;

/// <summary>
/// The list operations shared by every notifier chain flavour (kernel/notifier.c): <c>notifier_chain_register</c>,
/// <c>notifier_chain_unregister</c>, <c>notifier_call_chain</c> and <c>notifier_call_chain_robust</c>, over a
/// singly linked list whose links live in the blocks. The flavours add their locking rules.
/// </summary>
public abstract class NotifierChain
{
    private const string File = "kernel/notifier.c";
    private NotifierBlock? head;

    private protected NotifierChain(KernelModel kernel, string name)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        Kernel = kernel;
        Name = name;
    }

    /// <summary>The kernel the chain belongs to.</summary>
    public KernelModel Kernel { get; }

    /// <summary>The chain head's name (for traces).</summary>
    public string Name { get; }

    /// <summary>True when no block is registered.</summary>
    public bool IsEmpty => head is null;

    /// <summary>The registered blocks in call order.</summary>
    public IReadOnlyList<NotifierBlock> Blocks
    {
        get
        {
            var list = new List<NotifierBlock>();
            for (var nb = head; nb is not null; nb = nb.Next)
            {
                list.Add(nb);
            }
            return list;
        }
    }

    /// <summary>
    /// <c>notifier_call_chain(nl, val, v, nr_to_call, nr_calls)</c> without the flavour's locking: starts with
    /// NOTIFY_DONE, reads each block's next link before calling it (so a callback may remove itself), counts
    /// calls, stops after a result with NOTIFY_STOP_MASK or after <paramref name="nrToCall"/> calls (-1: no limit),
    /// and returns the last callback's value.
    /// </summary>
    private protected int CallChainCore(ulong action, object? data, int nrToCall, out int nrCalls)
    {
        var ret = NotifyResult.Done;
        nrCalls = 0;
        var nb = head;
        while (nb is not null && nrToCall != 0)
        {
            var next = nb.Next;
            if (nb.MaySleep && Kernel.Config.DebugAtomicSleep && Kernel.InAtomic)
            {
                Kernel.ReportBug(KernelWarningKind.SleepInAtomic, nb.Name, File, $"{nb.Name} may sleep; called from {Name} in atomic context");
            }
            ret = nb.Callback(nb, action, data);
            Kernel.AddEvent(KernelEventKind.NotifierCall, Kernel.CurrentCpu, -1, $"{Name}: {nb.Name}({action}) = {NotifyResult.Name(ret)}", AccessOutcome.Ok);
            nrCalls++;
            if ((ret & NotifyResult.StopMask) != 0)
            {
                break;
            }
            nb = next;
            nrToCall--;
        }
        return ret;
    }

    /// <summary><c>notifier_call_chain_robust</c>: calls with <paramref name="up"/>; if that stopped, calls the first
    /// nr-1 blocks again with <paramref name="down"/> (every block but the one that refused). Returns the up result.</summary>
    private protected int CallChainRobustCore(ulong up, ulong down, object? data)
    {
        var ret = CallChainCore(up, data, -1, out var nr);
        if ((ret & NotifyResult.StopMask) != 0)
        {
            CallChainCore(down, data, nr - 1, out _);
        }
        return ret;
    }

    /// <summary><c>notifier_chain_register(nl, n, unique_priority)</c>.</summary>
    private protected Errno RegisterCore(NotifierBlock block, bool uniquePriority)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.Chain is not null && block.Chain != this)
        {
            throw new InvalidOperationException($"notifier block {block.Name} is on chain {block.Chain.Name}; registering it on {Name} would corrupt both lists");
        }
        ref var link = ref head;
        while (link is not null)
        {
            if (ReferenceEquals(link, block))
            {
                Kernel.Warn(true, "notifier_chain_register", File, $"notifier callback {block.Name} already registered");
                return Errno.EEXIST;
            }
            if (block.Priority > link.Priority)
            {
                break;
            }
            if (block.Priority == link.Priority && uniquePriority)
            {
                return Errno.EBUSY;
            }
            link = ref LinkOf(link);
        }
        block.Next = link;
        link = block;
        block.Chain = this;
        return Errno.Ok;
    }

    /// <summary><c>notifier_chain_unregister(nl, n)</c>: 0, or -ENOENT when the block is not on the chain.</summary>
    private protected Errno UnregisterCore(NotifierBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        ref var link = ref head;
        while (link is not null)
        {
            if (ReferenceEquals(link, block))
            {
                link = block.Next;
                block.Chain = null;
                return Errno.Ok;
            }
            link = ref LinkOf(link);
        }
        return Errno.ENOENT;
    }

    private static ref NotifierBlock? LinkOf(NotifierBlock block) => ref block.NextLink;
}
