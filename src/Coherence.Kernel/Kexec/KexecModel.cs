using Coherence.Kernel.Boot;
using Coherence.Kernel.Notifiers;
using Coherence.Kernel.Tdx;
using Coherence.Platform;

namespace Coherence.Kernel.Kexec;

/// <summary>
/// kexec and crash kexec on x86 (kernel/kexec_core.c, arch/x86/kernel/{reboot,smp,crash,machine_kexec_64}.c,
/// relocate_kernel_64.S) as far as caches and TDX memory are concerned, under a <see cref="TdxKexecPolicy"/>.
/// </summary>
/// <remarks>
/// Normal kexec: reboot notifiers run (KVM's disables virtualization on every CPU: upstream's
/// tdx_disable_virtualization_cpu() flushes a CPU whose cache_state_incoherent is set), then
/// native_stop_other_cpus(): each other CPU runs stop_this_cpu(), whose WBINVD depends on the policy. Crash kexec:
/// an NMI shoot-down; crash_nmi_callback() saves state and disables virtualization, with no WBINVD and no reboot
/// notifiers. Then machine_kexec() on the calling CPU: tdx_reset_memory() (seed-notifier, pamt-only), and
/// relocate_kernel with its WBINVD flag. The second kernel then runs on the same machine: caches and memory are as the
/// first kernel left them; TDX and KVM state is gone and every CPU is online again. Simplification: the second
/// kernel is the same <see cref="KernelModel"/> object (its log continues); the segments' copy (swap_pages) is not
/// modelled.
/// </remarks>
public sealed class KexecModel
{
    private const string File = "arch/x86/kernel/machine_kexec_64.c";
    private readonly KernelModel kernel;
    private readonly Machine machine;
    private readonly TdxHost? tdx;
    private readonly KvmTdx? kvm;

    /// <summary>Creates kexec for <paramref name="kernel"/>; <paramref name="tdx"/> and <paramref name="kvm"/> are the TDX parts, if any.</summary>
    public KexecModel(KernelModel kernel, TdxKexecPolicy policy, TdxHost? tdx, KvmTdx? kvm)
    {
        this.kernel = kernel;
        machine = kernel.Machine;
        Policy = policy;
        this.tdx = tdx;
        this.kvm = kvm;
        RebootNotifiers = new BlockingNotifierChain(kernel, "reboot_notifier_list");
        if (kvm is not null && tdx is not null)
        {
            RebootNotifiers.Register(new NotifierBlock("kvm_reboot", (_, _, _) =>
            {
                foreach (var c in kernel.OnlineCpus)
                {
                    tdx.CpuFlushCacheForKexec(c);
                }
                return NotifyResult.Ok;
            }));
        }
    }

    /// <summary>The policy.</summary>
    public TdxKexecPolicy Policy { get; }

    /// <summary>reboot_notifier_list.</summary>
    public BlockingNotifierChain RebootNotifiers { get; }

    /// <summary>True when a normal image is loaded.</summary>
    public bool ImageLoaded { get; private set; }

    /// <summary>True when a crash image is loaded.</summary>
    public bool CrashImageLoaded { get; private set; }

    /// <summary>How many kexecs have run (0: the first kernel is running).</summary>
    public int Generation { get; private set; }

    /// <summary>Why the machine halted (a panic with no crash kernel), or null while it runs.</summary>
    public string? Halted { get; private set; }

    /// <summary>kexec_load(): machine_kexec_prepare() may refuse (upstream on an erratum platform: -EOPNOTSUPP).</summary>
    public Errno Load(KexecKind kind)
    {
        var rc = tdx?.KexecPrepare() ?? Errno.Ok;
        if (rc != Errno.Ok)
        {
            return rc;
        }
        if (kind == KexecKind.Crash)
        {
            CrashImageLoaded = true;
        }
        else
        {
            ImageLoaded = true;
        }
        return Errno.Ok;
    }

    /// <summary>
    /// Runs the loaded image from <paramref name="cpu"/>. A normal kexec with no image returns -EINVAL and the
    /// kernel runs on; a panic with no crash image halts the machine (-EINVAL, <see cref="Halted"/> set).
    /// </summary>
    public Errno Execute(int cpu, KexecKind kind)
    {
        kernel.CurrentCpu = cpu;
        if (kind == KexecKind.Normal && !ImageLoaded)
        {
            return Errno.EINVAL;
        }
        if (kind == KexecKind.Crash)
        {
            kernel.PrErr("Kernel panic - not syncing: crash requested");
            if (!CrashImageLoaded)
            {
                Halted = $"kernel panic on cpu{cpu} with no crash kernel loaded: the machine halted";
                kernel.PrErr("---[ end Kernel panic - not syncing: crash requested ]---");
                return Errno.EINVAL;
            }
        }
        if (kind == KexecKind.Normal)
        {
            RebootNotifiers.Call(1); // SYS_RESTART
        }
        foreach (var other in kernel.OnlineCpus)
        {
            if (other == cpu)
            {
                continue;
            }
            if (kind == KexecKind.Normal)
            {
                StopThisCpu(other);
            }
            // crash_nmi_callback(): crash_save_cpu(), cpu_emergency_disable_virtualization(), halt: no WBINVD.
            kernel.HaltCpu(other);
        }
        MachineKexec(cpu);
        SecondKernel(cpu, kind);
        return Errno.Ok;
    }

    /// <summary>stop_this_cpu(): WBINVD under upstream if the CPU's flag is set, unconditionally on bare metal under
    /// the seed's series, never under none (SME is not active on these hosts).</summary>
    private void StopThisCpu(int cpu)
    {
        if (NeedsWbinvd(cpu))
        {
            machine.X86[cpu].Wbinvd();
        }
    }

    private bool NeedsWbinvd(int cpu) => Policy switch
    {
        TdxKexecPolicy.Upstream => tdx?.CacheStateIncoherent[cpu] == true,
        TdxKexecPolicy.SeedNotifier or TdxKexecPolicy.PamtOnly => !kernel.HypervisorDetected,
        _ => false,
    };

    /// <summary>machine_kexec(): tdx_reset_memory() (seed policies), then relocate_kernel with RELOC_KERNEL_CACHE_INCOHERENT.</summary>
    private void MachineKexec(int cpu)
    {
        if (Policy is TdxKexecPolicy.SeedNotifier or TdxKexecPolicy.PamtOnly)
        {
            tdx?.ResetMemory(cpu);
        }
        var wbinvd = NeedsWbinvd(cpu);
        kernel.PrInfo($"kexec: relocate_kernel on cpu{cpu}{(wbinvd ? " with WBINVD" : "")}");
        if (wbinvd)
        {
            machine.X86[cpu].Wbinvd();
        }
    }

    private void SecondKernel(int cpu, KexecKind kind)
    {
        Generation++;
        ImageLoaded = false;
        CrashImageLoaded = false;
        kvm?.ForgetAll();
        tdx?.Forget();
        for (var c = 0; c < machine.Cpus.Count; c++)
        {
            if (!kernel.IsOnline(c))
            {
                kernel.SetCpuOnline(c, true);
            }
        }
        kernel.CurrentCpu = cpu;
        kernel.PrInfo($"kexec: {(kind == KexecKind.Crash ? "crash (kdump) kernel" : "second kernel")} booted on cpu{cpu}; caches and memory as the first kernel left them");
    }
}
