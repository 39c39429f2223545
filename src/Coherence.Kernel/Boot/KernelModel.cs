using Coherence.Kernel.Memregion;
using Coherence.Kernel.Modules;
using Coherence.Platform;
using Coherence.Platform.Cpus;

namespace Coherence.Kernel.Boot;

/// <summary>
/// A booted kernel over a <see cref="Machine"/>: which CPUs are online, the kernel log (printk), warnings
/// (WARN_ON_ONCE, sleeping in atomic context), kernel-level events (IPIs, WBINVD, provider calls), whether a
/// hypervisor was detected, and the facilities built on them (<see cref="CpuCache"/>, <see cref="Modules"/>).
/// Deterministic: the same calls on the same machine give the same log, warnings and events. Not thread-safe,
/// like the machine. Kernel code runs on <see cref="CurrentCpu"/> unless a call names a CPU.
/// </summary>
public sealed class KernelModel
{
    private readonly List<KernelLogEntry> log = [];
    private readonly List<KernelWarning> warnings = [];
    private readonly List<KernelEvent> events = [];
    private readonly HashSet<string> warnedOnce = [];
    private readonly bool[] online;
    private readonly HashSet<char> taints = [];
    private long sequence;
    private int currentCpu;

    private KernelModel(Machine machine, KernelConfig config)
    {
        Machine = machine;
        Config = config;
        online = new bool[machine.Cpus.Count];
        Array.Fill(online, true);
        // X86_FEATURE_HYPERVISOR is a boot-CPU feature: boot_cpu_has() reads CPU 0's CPUID.
        HypervisorDetected = machine.Cpus[0].HypervisorBit;
        CpuCache = new CpuCache(this);
        Modules = new ModuleLoader(this);
    }

    /// <summary>
    /// Boots a kernel on <paramref name="machine"/> with every CPU online. <paramref name="earlyInit"/>, if given,
    /// runs while <see cref="SystemState"/> is <see cref="SystemState.Booting"/> (early initcalls); then the state
    /// becomes <see cref="SystemState.Running"/>.
    /// </summary>
    public static KernelModel Boot(Machine machine, KernelConfig? config = null, Action<KernelModel>? earlyInit = null)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var k = new KernelModel(machine, config ?? new KernelConfig());
        if (k.HypervisorDetected)
        {
            k.PrInfo("Hypervisor detected: KVM");
            if (machine.Cpus[0].Guest == GuestKind.TdxGuest)
            {
                k.PrInfo("tdx: Guest detected");
            }
        }
        k.PrInfo($"smp: Brought up 1 node, {machine.Cpus.Count} CPU{(machine.Cpus.Count == 1 ? "" : "s")}");
        earlyInit?.Invoke(k);
        k.SystemState = SystemState.Running;
        return k;
    }

    /// <summary>The machine the kernel runs on.</summary>
    public Machine Machine { get; }

    /// <summary>Build and policy choices.</summary>
    public KernelConfig Config { get; }

    /// <summary><c>system_state</c>.</summary>
    public SystemState SystemState { get; private set; } = SystemState.Booting;

    /// <summary><c>cpu_feature_enabled(X86_FEATURE_HYPERVISOR)</c>: the boot CPU's CPUID hypervisor bit.</summary>
    public bool HypervisorDetected { get; }

    /// <summary>The CPU kernel code runs on when a call does not name one (the boot CPU, 0, by default).</summary>
    public int CurrentCpu
    {
        get => currentCpu;
        set
        {
            CheckCpu(value);
            if (!online[value])
            {
                throw new ArgumentException($"cpu{value} is offline: kernel code cannot run there");
            }
            currentCpu = value;
        }
    }

    /// <summary>The online CPUs in ascending order (<c>for_each_online_cpu</c>).</summary>
    public IReadOnlyList<int> OnlineCpus
    {
        get
        {
            var list = new List<int>(online.Length);
            for (var i = 0; i < online.Length; i++)
            {
                if (online[i])
                {
                    list.Add(i);
                }
            }
            return list;
        }
    }

    /// <summary>The kernel log, oldest first.</summary>
    public IReadOnlyList<KernelLogEntry> Log => log;

    /// <summary>Warnings and bug reports, oldest first.</summary>
    public IReadOnlyList<KernelWarning> Warnings => warnings;

    /// <summary>Kernel-level actions, oldest first.</summary>
    public IReadOnlyList<KernelEvent> Events => events;

    /// <summary>Taint flags set so far (<c>P</c> proprietary module, <c>W</c> warning, <c>E</c> unsigned...).</summary>
    public string Taints
    {
        get
        {
            var a = taints.ToArray();
            Array.Sort(a);
            return new string(a);
        }
    }

    /// <summary>preempt_count() != 0: spinlock held, RCU read side (non-preemptible), interrupts off.</summary>
    public bool InAtomic => AtomicDepth > 0;

    /// <summary>Nesting depth of atomic sections.</summary>
    public int AtomicDepth { get; private set; }

    /// <summary>The memregion cache-invalidation API.</summary>
    public CpuCache CpuCache { get; }

    /// <summary>The module loader, symbol table and modpost check.</summary>
    public ModuleLoader Modules { get; }

    /// <summary>True when <paramref name="cpu"/> is online (<c>cpu_online</c>).</summary>
    public bool IsOnline(int cpu)
    {
        CheckCpu(cpu);
        return online[cpu];
    }

    /// <summary>
    /// A CPU halts for good (stop_this_cpu() on the REBOOT vector, or crash_nmi_callback()): it leaves the online mask
    /// without the hotplug path's WBINVD; whatever the caller flushed before is all that is flushed.
    /// </summary>
    public void HaltCpu(int cpu)
    {
        CheckCpu(cpu);
        if (!online[cpu])
        {
            return;
        }
        online[cpu] = false;
        AddEvent(KernelEventKind.CpuHotplug, cpu, -1, "halted", AccessOutcome.Ok);
        if (currentCpu == cpu)
        {
            currentCpu = Array.IndexOf(online, true);
        }
    }

    /// <summary>
    /// CPU hotplug. Offlining the last online CPU is -EBUSY. A CPU going offline executes WBINVD before it halts
    /// (x86 <c>hlt_play_dead</c>/<c>mwait_play_dead</c>), so it leaves no dirty line behind; an offline CPU then
    /// receives no IPI. Offlining <see cref="CurrentCpu"/> moves kernel code to the lowest online CPU.
    /// </summary>
    public Errno SetCpuOnline(int cpu, bool isOnline)
    {
        CheckCpu(cpu);
        if (online[cpu] == isOnline)
        {
            return Errno.Ok;
        }
        if (!isOnline)
        {
            var count = 0;
            foreach (var o in online)
            {
                count += o ? 1 : 0;
            }
            if (count == 1)
            {
                return Errno.EBUSY;
            }
            var outcome = Machine.X86[cpu].Wbinvd();
            AddEvent(KernelEventKind.Wbinvd, cpu, -1, "wbinvd (play_dead)", outcome);
            online[cpu] = false;
            AddEvent(KernelEventKind.CpuHotplug, cpu, -1, "offline", AccessOutcome.Ok);
            if (currentCpu == cpu)
            {
                currentCpu = Array.IndexOf(online, true);
            }
            return Errno.Ok;
        }
        online[cpu] = true;
        AddEvent(KernelEventKind.CpuHotplug, cpu, -1, "online", AccessOutcome.Ok);
        return Errno.Ok;
    }

    /// <summary>Enters an atomic section (spin_lock, preempt_disable, rcu_read_lock); dispose to leave it.</summary>
    public AtomicSection EnterAtomic()
    {
        AtomicDepth++;
        return new AtomicSection(this);
    }

    /// <summary>Depth of RCU read-side critical sections (rcu_read_lock nesting); each also counts as atomic.</summary>
    public int RcuReadDepth { get; private set; }

    internal void RcuReadLock()
    {
        RcuReadDepth++;
        AtomicDepth++;
    }

    internal void RcuReadUnlock()
    {
        RcuReadDepth--;
        AtomicDepth--;
    }

    internal void LeaveAtomic()
    {
        if (AtomicDepth == 0)
        {
            throw new InvalidOperationException("atomic section left more often than entered");
        }
        AtomicDepth--;
    }

    /// <summary>printk at <paramref name="level"/>.</summary>
    public void Printk(KernelLogLevel level, string text)
    {
        log.Add(new KernelLogEntry(level, text));
        sequence++;
    }

    /// <summary>pr_err.</summary>
    public void PrErr(string text) => Printk(KernelLogLevel.Err, text);

    /// <summary>pr_warn.</summary>
    public void PrWarn(string text) => Printk(KernelLogLevel.Warning, text);

    /// <summary>pr_info.</summary>
    public void PrInfo(string text) => Printk(KernelLogLevel.Info, text);

    /// <summary>
    /// <c>WARN_ON_ONCE(condition)</c> at a site named by <paramref name="function"/> and <paramref name="file"/>:
    /// returns <paramref name="condition"/>; the first time it is true at that site a <see cref="KernelWarning"/> is
    /// recorded, the log gets the <c>WARNING: CPU: n PID: 0 at file function</c> banner and the kernel is tainted W.
    /// </summary>
    public bool WarnOnOnce(bool condition, string function, string file, string conditionText, int? cpu = null)
    {
        if (!condition)
        {
            return false;
        }
        if (warnedOnce.Add(file + ":" + function + ":" + conditionText))
        {
            Report(KernelWarningKind.Warn, function, file, conditionText, cpu ?? currentCpu, null);
        }
        return true;
    }

    /// <summary><c>WARN(condition, message)</c>: every time; the message is printed before the banner.</summary>
    public bool Warn(bool condition, string function, string file, string message, int? cpu = null)
    {
        if (condition)
        {
            Report(KernelWarningKind.Warn, function, file, message, cpu ?? currentCpu, message);
        }
        return condition;
    }

    /// <summary>Records a bug report of <paramref name="kind"/> (sleep in atomic, deadlock, list corruption...).</summary>
    public void ReportBug(KernelWarningKind kind, string function, string file, string text, int? cpu = null)
    {
        var c = cpu ?? currentCpu;
        var banner = kind switch
        {
            KernelWarningKind.SleepInAtomic => $"BUG: sleeping function called from invalid context at {file}",
            KernelWarningKind.Deadlock => "WARNING: possible recursive locking detected",
            KernelWarningKind.ListCorruption => text,
            KernelWarningKind.UseAfterFree => $"BUG: KASAN: slab-use-after-free in {function}",
            _ => text,
        };
        warnings.Add(new KernelWarning(kind, function, file, text, c, sequence++));
        Printk(kind == KernelWarningKind.Deadlock ? KernelLogLevel.Warning : KernelLogLevel.Err, banner);
        if (kind == KernelWarningKind.SleepInAtomic)
        {
            Printk(KernelLogLevel.Err, $"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 0, name: {function}");
        }
    }

    private void Report(KernelWarningKind kind, string function, string file, string condition, int cpu, string? message)
    {
        warnings.Add(new KernelWarning(kind, function, file, condition, cpu, sequence++));
        if (message is not null)
        {
            Printk(KernelLogLevel.Warning, message);
        }
        Printk(KernelLogLevel.Warning, $"WARNING: CPU: {cpu} PID: 0 at {file} {function}");
        taints.Add('W');
    }

    internal void Taint(char flag) => taints.Add(flag);

    /// <summary>Records a kernel-level event.</summary>
    internal void AddEvent(KernelEventKind kind, int cpu, int target, string detail, AccessOutcome outcome) =>
        events.Add(new KernelEvent(sequence++, kind, cpu, target, detail, outcome, Machine.Step));

    internal void CheckCpu(int cpu)
    {
        if ((uint)cpu >= (uint)online.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(cpu), $"cpu{cpu} does not exist (the machine has {online.Length})");
        }
    }
}
