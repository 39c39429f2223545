using Coherence.Kernel.Boot;
using Coherence.Platform;

namespace Coherence.Kernel.Memregion;

/// <summary>
/// The memregion cache-invalidation API of include/linux/memregion.h: <c>cpu_cache_has_invalidate_memregion</c>,
/// <c>cpu_cache_invalidate_memregion</c> in both signatures (v6.2 <c>int(int res_desc)</c> and the 2025
/// range-based <c>int(phys_addr_t start, size_t len)</c>) and <c>cpu_cache_invalidate_all</c>, implemented as
/// <see cref="KernelConfig.MemregionPolicy"/> says. Kernel code runs on <see cref="KernelModel.CurrentCpu"/>.
/// Contract: after a 0 return no CPU cache holds a line of the region from before the call (dirty lines may or
/// may not have been written back); callers must ask <see cref="HasInvalidateMemregion"/> first.
/// </summary>
public sealed class CpuCache
{
    /// <summary><c>(size_t)-1</c>: as a length, every region (what <c>cpu_cache_invalidate_all</c> passes).</summary>
    public const ulong AllRegions = ulong.MaxValue;

    private const string X86File = "arch/x86/mm/pat/set_memory.c";
    private const string StubFile = "include/linux/memregion.h";
    private const string Function = "cpu_cache_invalidate_memregion";
    private readonly KernelModel kernel;

    internal CpuCache(KernelModel kernel)
    {
        this.kernel = kernel;
        Registry = new CacheCoherencyRegistry(kernel);
    }

    /// <summary>The generic back-end's provider list (used when the policy is <see cref="MemregionPolicy.Registry"/>).</summary>
    public CacheCoherencyRegistry Registry { get; }

    /// <summary>The policy in force.</summary>
    public MemregionPolicy Policy => kernel.Config.MemregionPolicy;

    /// <summary>
    /// <c>cpu_cache_has_invalidate_memregion()</c>. x86 (and <see cref="MemregionPolicy.None"/>):
    /// <c>!cpu_feature_enabled(X86_FEATURE_HYPERVISOR)</c>, so false in every guest; registry: <c>!list_empty</c>;
    /// unconfigured: false.
    /// </summary>
    public bool HasInvalidateMemregion() => Policy switch
    {
        MemregionPolicy.X86AllCpus or MemregionPolicy.X86LocalCpu or MemregionPolicy.None => !kernel.HypervisorDetected,
        MemregionPolicy.Registry => Registry.HasInvalidateMemregion(),
        _ => false,
    };

    /// <summary>
    /// v6.2 <c>cpu_cache_invalidate_memregion(int res_desc)</c>. No implementation looks at the descriptor; the
    /// registry back-end (which only exists with the range signature) is asked for everything.
    /// </summary>
    public Errno InvalidateMemregion(IoresDesc resDesc) => Invalidate(0, AllRegions, $"res_desc {(int)resDesc}");

    /// <summary>
    /// <c>cpu_cache_invalidate_memregion(phys_addr_t start, size_t len)</c>; <paramref name="length"/> ==
    /// <see cref="AllRegions"/> ((size_t)-1) means all regions. x86 ignores the range.
    /// </summary>
    public Errno InvalidateMemregion(ulong start, ulong length) => Invalidate(start, length, $"0x{start:x}+0x{length:x}");

    /// <summary><c>cpu_cache_invalidate_all()</c>: <c>cpu_cache_invalidate_memregion(0, -1)</c>.</summary>
    public Errno InvalidateAll() => InvalidateMemregion(0, AllRegions);

    private Errno Invalidate(ulong start, ulong length, string what)
    {
        var cpu = kernel.CurrentCpu;
        switch (Policy)
        {
            case MemregionPolicy.Unconfigured:
                kernel.WarnOnOnce(true, Function, StubFile, "\"CPU cache invalidation required\"", cpu);
                return Errno.ENXIO;
            case MemregionPolicy.Registry:
                return Registry.InvalidateMemregion(start, length);
            default:
                break;
        }
        if (kernel.WarnOnOnce(!HasInvalidateMemregion(), Function, X86File, "!cpu_cache_has_invalidate_memregion()", cpu))
        {
            return Errno.ENXIO;
        }
        switch (Policy)
        {
            case MemregionPolicy.X86AllCpus:
                WbinvdOnAllCpus(cpu);
                break;
            case MemregionPolicy.X86LocalCpu:
                Wbinvd(cpu, "wbinvd");
                break;
            default:
                kernel.AddEvent(KernelEventKind.MemregionNoop, cpu, -1, $"{Function}({what}): no cache maintenance (policy none)", AccessOutcome.Ok);
                break;
        }
        return Errno.Ok;
    }

    /// <summary>
    /// <c>wbinvd_on_all_cpus()</c> = <c>on_each_cpu(__wbinvd, NULL, 1)</c>: the caller sends a function-call IPI to
    /// every other online CPU, runs the function itself, and waits. The model serialises the executions in CPU
    /// order. Returns the number of CPUs that executed WBINVD.
    /// </summary>
    public int WbinvdOnAllCpus(int? callingCpu = null)
    {
        var self = callingCpu ?? kernel.CurrentCpu;
        var cpus = kernel.OnlineCpus;
        foreach (var c in cpus)
        {
            if (c != self)
            {
                kernel.AddEvent(KernelEventKind.IpiSend, self, c, "smp_call_function_many: __wbinvd", AccessOutcome.Ok);
            }
        }
        foreach (var c in cpus)
        {
            kernel.AddEvent(KernelEventKind.IpiFunction, c, self, c == self ? "__wbinvd (local)" : "__wbinvd (IPI)", AccessOutcome.Ok);
            Wbinvd(c, "wbinvd");
        }
        return cpus.Count;
    }

    private void Wbinvd(int cpu, string what)
    {
        var outcome = kernel.Machine.X86[cpu].Wbinvd();
        kernel.AddEvent(KernelEventKind.Wbinvd, cpu, -1, what, outcome);
    }
}
