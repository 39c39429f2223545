using Coherence.Platform.Caches;
using Coherence.Platform.Choice;

namespace Coherence.Platform;

/// <summary>Background actions: what the hardware may do on its own between instructions.</summary>
public sealed partial class Machine
{
    private readonly List<BackgroundAction> background = [];

    /// <summary>The background actions enabled now (valid until the next state change).</summary>
    public IReadOnlyList<BackgroundAction> BackgroundActions
    {
        get
        {
            CollectBackground();
            return background;
        }
    }

    private int CollectBackground()
    {
        background.Clear();
        var eager = -1;
        foreach (var cpu in Cpus)
        {
            if (cpu.StoreBuffer.Count > 0)
            {
                eager = eager < 0 ? background.Count : eager;
                background.Add(new BackgroundAction(BackgroundActionKind.DrainStoreBuffer, cpu.Index, 0, cpu.StoreBuffer.At(0).Address & ~63UL, 0));
            }
            for (var i = 0; i < cpu.WcBuffers.Length; i++)
            {
                if (cpu.WcBuffers[i].InUse)
                {
                    eager = eager < 0 ? background.Count : eager;
                    background.Add(new BackgroundAction(BackgroundActionKind.DrainWcBuffer, cpu.Index, i, cpu.WcBuffers[i].Line, 0));
                }
            }
            for (var i = 0; i < cpu.PendingFlushes.Count; i++)
            {
                eager = eager < 0 ? background.Count : eager;
                background.Add(new BackgroundAction(BackgroundActionKind.CompleteFlush, cpu.Index, i, cpu.PendingFlushes[i].Line, 0));
            }
        }
        foreach (var d in devices)
        {
            if (d.PendingLines == 0)
            {
                continue;
            }
            foreach (var line in d.QueuedLines())
            {
                eager = eager < 0 ? background.Count : eager;
                background.Add(new BackgroundAction(BackgroundActionKind.DrainQueue, -1, d.Index, line, 0));
            }
        }
        if (Config.SpontaneousEvictions)
        {
            for (var k = 0; k < Memory.CacheCount; k++)
            {
                var cache = Memory.Cache(k);
                for (var slot = cache.NextValid(0); slot >= 0; slot = cache.NextValid(slot + 1))
                {
                    background.Add(new BackgroundAction(BackgroundActionKind.Evict, Memory.CpuOfCache(k), slot, cache.AddressOf(slot), k));
                }
            }
        }
        if (Config.SpeculativeFetch)
        {
            foreach (var cpu in Cpus)
            {
                foreach (var line in cpu.SpeculationCandidates)
                {
                    if (cpu.L1.Find(line) < 0)
                    {
                        background.Add(new BackgroundAction(BackgroundActionKind.SpeculativeFetch, cpu.Index, 0, line, 0));
                    }
                }
            }
        }
        return eager;
    }

    /// <summary>
    /// Ends a step: asks the chooser for background actions until it answers "none" (option 0), nothing is enabled,
    /// or <see cref="PlatformConfig.MaxBackgroundPerStep"/> actions have run.
    /// </summary>
    internal void EndStep()
    {
        if (!adversary && !HasBufferedWork())
        {
            return;
        }
        if (ReferenceEquals(Chooser, PlainChooser.Instance))
        {
            DrainEagerly();
            return;
        }
        if (Chooser.DeclinesBackground)
        {
            return; // the answer would be "none" whatever the list holds
        }
        for (var n = 0; n < Config.MaxBackgroundPerStep; n++)
        {
            var eager = CollectBackground();
            if (background.Count == 0)
            {
                return;
            }
            var pick = Decide(ChoiceKind.Background, background.Count + 1, eager + 1);
            if (pick == 0)
            {
                return;
            }
            Perform(background[pick - 1]);
        }
    }

    /// <summary>True when some CPU buffer or device queue holds something (cheap: no list is built).</summary>
    private bool HasBufferedWork()
    {
        foreach (var cpu in cpuArray)
        {
            if (cpu.StoreBuffer.Count > 0 || cpu.WcInUse > 0 || cpu.PendingFlushes.Count > 0)
            {
                return true;
            }
        }
        foreach (var d in devices)
        {
            if (d.PendingLines > 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// What the plain chooser's answers amount to, without building the action list: per CPU in order, its store
    /// buffer, then its WC buffers in index order, then its pending flushes oldest first; then each device's queue in
    /// ascending line order. (The list order of <see cref="BackgroundActions"/> is the same, and the plain chooser
    /// always takes the first eager action.)
    /// </summary>
    private void DrainEagerly()
    {
        foreach (var cpu in cpuArray)
        {
            isaArray[cpu.Index].DrainInListOrder();
        }
        foreach (var d in devices)
        {
            if (d.PendingLines == 0)
            {
                continue;
            }
            foreach (var line in d.QueuedLines())
            {
                d.DrainQueue(line);
                if (Observed)
                {
                    Emit(new Events.MachineEvent(Events.EventKind.QueueDrain, Step, -1, null, line, 64, d.Index, false, 0, 1));
                }
            }
        }
    }

    /// <summary>Performs one background action (it must be one of <see cref="BackgroundActions"/>).</summary>
    public void Perform(BackgroundAction action)
    {
        var cpu = action.Cpu >= 0 ? cpuArray[action.Cpu] : null;
        switch (action.Kind)
        {
            case BackgroundActionKind.DrainStoreBuffer:
                isaArray[action.Cpu].DrainOldestStore();
                break;
            case BackgroundActionKind.DrainWcBuffer:
                isaArray[action.Cpu].DrainWc(cpu!.WcBuffers[action.Index]);
                break;
            case BackgroundActionKind.CompleteFlush:
                isaArray[action.Cpu].CompleteFlush(action.Index);
                break;
            case BackgroundActionKind.DrainQueue:
                devices[action.Index].DrainQueue(action.Address);
                if (Observed)
                {
                    Emit(new Events.MachineEvent(Events.EventKind.QueueDrain, Step, -1, null, action.Address, 64, action.Index, false, 0, 1));
                }
                break;
            case BackgroundActionKind.Evict:
                if (Memory.Cache(action.Cache).StateOf(action.Index) != LineState.Invalid)
                {
                    Memory.Evict(action.Cache, action.Index);
                }
                break;
            case BackgroundActionKind.SpeculativeFetch:
                Memory.AcquireForRead(action.Cpu, action.Address, speculative: true);
                break;
        }
    }

    /// <summary>Drains every buffer of every CPU and every write-pending queue (as the plain chooser would).</summary>
    public void Quiesce()
    {
        BeginStep();
        foreach (var x in X86)
        {
            x.DrainAll();
        }
        foreach (var d in devices)
        {
            d.DrainQueue();
        }
    }

    /// <summary>Lets the caller register a physical line as a speculative-fetch candidate for a CPU.</summary>
    public void AddSpeculationCandidate(int cpu, ulong physicalAddress) => cpuArray[cpu].SpeculationCandidates.Add(physicalAddress & ~63UL);
}
