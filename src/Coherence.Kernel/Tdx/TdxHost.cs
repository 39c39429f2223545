using Coherence.Kernel.Boot;
using Coherence.Kernel.Notifiers;
using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Tdx;

namespace Coherence.Kernel.Tdx;

/// <summary>
/// The TDX host side (arch/x86/virt/vmx/tdx/tdx.c) and, folded in, the TDX module's effects on memory: module
/// initialisation with TDMRs and PAMT and its error path, the page reset quirk, the per-CPU
/// <c>cache_state_incoherent</c> flag, the seed's memory-reset notifier chain and <c>tdx_reset_memory()</c>.
/// </summary>
/// <remarks>
/// Simplifications, all written down in docs/kernel.md: each System RAM range is one TDMR (no 1 GiB alignment, no
/// holes); the PAMT is 1/256 of the TDMRs (16 bytes per 4 KiB page, the 2 MiB and 1 GiB levels left out) and is
/// allocated at the top of the first RAM range; the module writes PAMT with ordinary cached stores through the global
/// KeyID (which leaves dirty global-KeyID lines in the calling CPU's caches, as the kernel's comment on the error path
/// says); SEAMCALLs are not modelled one by one, only their effects on caches, memory and the per-CPU flag.
/// </remarks>
public sealed class TdxHost
{
    private const string File = "arch/x86/virt/vmx/tdx/tdx.c";
    private readonly KernelModel kernel;
    private readonly Machine machine;
    private readonly List<(ulong Start, ulong Size)> tdmrs = [];
    private bool pwMceLogged;

    /// <summary>Creates the host side for <paramref name="kernel"/> under <paramref name="policy"/>.</summary>
    public TdxHost(KernelModel kernel, TdxKexecPolicy policy, TdxReclaimPolicy reclaim = TdxReclaimPolicy.Upstream)
    {
        Reclaim = reclaim;
        this.kernel = kernel;
        machine = kernel.Machine;
        Policy = policy;
        Access = new KeyIdAccess(machine);
        CacheStateIncoherent = new bool[machine.Cpus.Count];
        MemoryResetChain = new BlockingNotifierChain(kernel, "tdx_memory_reset_chain");
    }

    /// <summary>The kexec policy.</summary>
    public TdxKexecPolicy Policy { get; }

    /// <summary>How freed private memory is cleaned (page removal, PAMT on the init error path).</summary>
    public TdxReclaimPolicy Reclaim { get; }

    /// <summary>The platform's TDX, or null (TDX_HOST_PLATFORM not set).</summary>
    public TdxPlatform? Platform => machine.Tdx;

    /// <summary>X86_BUG_TDX_PW_MCE: set by check_tdx_erratum() on Sapphire and Emerald Rapids.</summary>
    public bool HasPartialWriteErratum => Platform?.PartialWriteErratum == true;

    /// <summary>Accesses through KeyIDs.</summary>
    public KeyIdAccess Access { get; }

    /// <summary>True once init_tdx_module() succeeded.</summary>
    public bool ModuleInitialized { get; private set; }

    /// <summary>The TDX module's global KeyID (the first private KeyID).</summary>
    public int GlobalKeyId => Platform?.FirstPrivateKeyId ?? throw new InvalidOperationException("no TDX platform");

    /// <summary>The TDMRs: one per System RAM range.</summary>
    public IReadOnlyList<(ulong Start, ulong Size)> Tdmrs => tdmrs;

    /// <summary>The PAMT while it is allocated, else null.</summary>
    public (ulong Start, ulong Size)? Pamt { get; private set; }

    /// <summary>DEFINE_PER_CPU(bool, cache_state_incoherent) (upstream only; other policies never set it).</summary>
    public bool[] CacheStateIncoherent { get; }

    /// <summary>The seed's <c>tdx_memory_reset_chain</c> (registrations only succeed under seed-notifier).</summary>
    public BlockingNotifierChain MemoryResetChain { get; }

    /// <summary>
    /// A SEAMCALL on <paramref name="cpu"/>: upstream sets the CPU's cache_state_incoherent first
    /// (<c>__seamcall_dirty_cache</c>), because an NMI stop may land in the middle of it.
    /// </summary>
    public void Seamcall(int cpu)
    {
        if (Policy == TdxKexecPolicy.Upstream)
        {
            CacheStateIncoherent[cpu] = true;
        }
    }

    /// <summary>
    /// init_tdx_module() on <paramref name="cpu"/>: TDMRs, PAMT, the global KeyID and TDMR initialisation; with
    /// <paramref name="fault"/> the error path <c>err_reset_pamts</c>: wbinvd_on_all_cpus(), reset the PAMT, free it.
    /// Returns 0, -ENODEV without TDX, -EBUSY when already initialised, -EIO on the injected failure.
    /// </summary>
    public Errno InitModule(int cpu, TdxInitFault fault = TdxInitFault.None)
    {
        if (Platform is null)
        {
            kernel.PrInfo("virt/tdx: BIOS did not enable TDX (no TDX host platform)");
            return Errno.ENODEV;
        }
        if (ModuleInitialized)
        {
            return Errno.EBUSY;
        }
        tdmrs.Clear();
        ulong pamtSize = 0;
        foreach (var r in machine.Map.Resources)
        {
            if (r.Kind == ResourceKind.SystemRam)
            {
                tdmrs.Add((r.Start, r.Size));
                pamtSize += r.Size / 256;
            }
        }
        if (tdmrs.Count == 0)
        {
            kernel.PrErr("virt/tdx: no System RAM to cover with TDMRs");
            return Errno.EINVAL;
        }
        pamtSize = Math.Max(AddressSpace.PageSize, (pamtSize + AddressSpace.PageSize - 1) & ~(AddressSpace.PageSize - 1));
        var (ramStart, ramSize) = tdmrs[0];
        if (pamtSize >= ramSize)
        {
            kernel.PrErr("virt/tdx: cannot allocate PAMT");
            return Errno.ENOMEM;
        }
        Pamt = (ramStart + ramSize - pamtSize, pamtSize);
        kernel.PrInfo($"virt/tdx: {tdmrs.Count} TDMR{(tdmrs.Count == 1 ? "" : "s")} covering all System RAM, PAMT {pamtSize / 1024} KiB at 0x{Pamt.Value.Start:x}");
        Seamcall(cpu); // TDH.SYS.CONFIG
        if (fault != TdxInitFault.ConfigGlobalKeyId)
        {
            Seamcall(cpu); // TDH.SYS.KEY.CONFIG
            var lines = pamtSize / 64;
            var initialised = fault == TdxInitFault.InitTdmrs ? lines / 2 : lines;
            WritePamt(cpu, Pamt.Value.Start, initialised);
        }
        if (fault == TdxInitFault.None)
        {
            ModuleInitialized = true;
            kernel.PrInfo("virt/tdx: TDX-Module initialized");
            return Errno.Ok;
        }
        // err_reset_pamts: part of the PAMT is initialised and may be cached with the global KeyID.
        kernel.PrErr($"virt/tdx: module initialization failed ({(fault == TdxInitFault.ConfigGlobalKeyId ? "config_global_keyid" : "init_tdmrs")}: -EIO)");
        if (Reclaim.Flushes())
        {
            WbinvdOnAllCpus();
        }
        if (Reclaim.Resets())
        {
            ResetPamtAll(cpu);
        }
        Pamt = null;
        tdmrs.Clear();
        return Errno.EIO;
    }

    /// <summary>TDH.SYS.TDMR.INIT: the module initialises PAMT entries with cached stores through the global KeyID.</summary>
    private void WritePamt(int cpu, ulong start, ulong lines)
    {
        var bytes = new byte[64];
        Array.Fill(bytes, (byte)0x50);
        Access.Run(cpu, GlobalKeyId, x86 =>
        {
            for (ulong i = 0; i < lines; i++)
            {
                x86.Store(start + i * 64, bytes, "tdx-module");
            }
            x86.Retire();
        });
    }

    /// <summary>wbinvd_on_all_cpus(): WBINVD on every online CPU.</summary>
    public void WbinvdOnAllCpus()
    {
        foreach (var c in kernel.OnlineCpus)
        {
            machine.X86[c].Wbinvd();
        }
    }

    /// <summary>
    /// tdx_quirk_reset_paddr(): nothing without the erratum (any normal write converts the page back); otherwise
    /// MOVDIR64B of zeros over each line through the kernel's direct map (KeyID 0), then mb(). It does not flush caches.
    /// </summary>
    public void QuirkResetPaddr(int cpu, ulong start, ulong size)
    {
        if (!HasPartialWriteErratum)
        {
            return;
        }
        var x86 = machine.X86[cpu];
        Span<byte> zero = stackalloc byte[64];
        for (var line = start & ~63UL; line < start + size; line += 64)
        {
            x86.DirectStore64(line, zero, "tdx-reset");
        }
        x86.Mfence();
    }

    /// <summary>tdx_quirk_reset_page(): resets one 4 KiB page.</summary>
    public void QuirkResetPage(int cpu, ulong pa) => QuirkResetPaddr(cpu, pa & ~(AddressSpace.PageSize - 1), AddressSpace.PageSize);

    /// <summary>tdmrs_quirk_reset_pamt_all(): resets the PAMT (if allocated).</summary>
    public void ResetPamtAll(int cpu)
    {
        if (Pamt is { } p)
        {
            QuirkResetPaddr(cpu, p.Start, p.Size);
        }
    }

    /// <summary>tdx_register_memory_reset_notifier() (the seed); -EOPNOTSUPP where the chain does not exist.</summary>
    public Errno RegisterMemoryResetNotifier(NotifierBlock nb) =>
        Policy == TdxKexecPolicy.SeedNotifier ? MemoryResetChain.Register(nb) : Errno.EOPNOTSUPP;

    /// <summary>tdx_unregister_memory_reset_notifier() (the seed).</summary>
    public void UnregisterMemoryResetNotifier(NotifierBlock nb)
    {
        if (Policy == TdxKexecPolicy.SeedNotifier)
        {
            MemoryResetChain.Unregister(nb);
        }
    }

    /// <summary>
    /// tdx_reset_memory() (seed-notifier and pamt-only), from machine_kexec() on <paramref name="cpu"/>: nothing
    /// without the platform, the erratum or an initialised module; WARN if more than one CPU is online;
    /// native_wbinvd(); under seed-notifier the memory-reset chain (an error prints "Failed to reset all TDX private
    /// pages."); then the PAMT reset.
    /// </summary>
    public void ResetMemory(int cpu)
    {
        if (Platform is null || !HasPartialWriteErratum || !ModuleInitialized)
        {
            return;
        }
        kernel.WarnOnOnce(kernel.OnlineCpus.Count > 1, "tdx_reset_memory", File, "num_online_cpus() > 1", cpu);
        machine.X86[cpu].Wbinvd();
        if (Policy == TdxKexecPolicy.SeedNotifier)
        {
            var ret = MemoryResetChain.Call(0, cpu);
            if (NotifyResult.ToErrno(ret) != Errno.Ok)
            {
                kernel.PrErr("Failed to reset all TDX private pages.");
            }
        }
        ResetPamtAll(cpu);
    }

    /// <summary>
    /// machine_kexec_prepare()'s TDX check (upstream): -EOPNOTSUPP on a platform with X86_BUG_TDX_PW_MCE, logging
    /// "Not allowed on platform with tdx_pw_mce bug" once.
    /// </summary>
    public Errno KexecPrepare()
    {
        if (Policy != TdxKexecPolicy.Upstream || !HasPartialWriteErratum)
        {
            return Errno.Ok;
        }
        if (!pwMceLogged)
        {
            kernel.PrErr("Not allowed on platform with tdx_pw_mce bug");
            pwMceLogged = true;
        }
        return Errno.EOPNOTSUPP;
    }

    /// <summary>The kernel that set TDX up is gone (kexec): the module is not initialised in the new kernel, the PAMT
    /// is no longer the kernel's, and the per-CPU flags start clear.</summary>
    public void Forget()
    {
        ModuleInitialized = false;
        Pamt = null;
        tdmrs.Clear();
        Array.Clear(CacheStateIncoherent);
    }

    /// <summary>tdx_cpu_flush_cache_for_kexec() (upstream, from KVM's tdx_disable_virtualization_cpu()): WBINVD if the
    /// CPU's flag is set, then clear it.</summary>
    public void CpuFlushCacheForKexec(int cpu)
    {
        if (Policy == TdxKexecPolicy.Upstream && CacheStateIncoherent[cpu])
        {
            machine.X86[cpu].Wbinvd();
            CacheStateIncoherent[cpu] = false;
        }
    }
}
