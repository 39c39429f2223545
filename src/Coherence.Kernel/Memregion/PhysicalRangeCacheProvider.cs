using Coherence.Kernel.Boot;
using Coherence.Platform;

namespace Coherence.Kernel.Memregion;

/// <summary>
/// An example provider for the generic back-end, shaped like the HiSilicon Hydra Home Agent driver
/// (drivers/cache/hisi_soc_hha.c): it owns one physical range, ignores requests outside it, and cleans and
/// invalidates the part of a request inside it; <c>done</c> waits for completion. The model has no home agent, so
/// the clean+invalidate is issued as CLFLUSHOPT of every line of the range that any cache holds, on
/// <see cref="ServiceCpu"/> through the kernel's identity map, and <c>done</c> is an SFENCE on that CPU (which
/// completes every pending CLFLUSHOPT). The effect on the caches is the agent's: each line's dirty copy is written
/// back and every copy in every cache of every socket is dropped.
/// </summary>
public sealed class PhysicalRangeCacheProvider : CacheCoherencyOpsInstance
{
    private readonly Machine machine;

    private PhysicalRangeCacheProvider(string name, Machine machine, ulong start, ulong size, int serviceCpu) : base(name)
    {
        this.machine = machine;
        Start = start;
        Size = size;
        ServiceCpu = serviceCpu;
    }

    /// <summary>Physical start of the range this agent serves.</summary>
    public ulong Start { get; }

    /// <summary>Length of the range in bytes.</summary>
    public ulong Size { get; }

    /// <summary>The CPU that issues the line operations.</summary>
    public int ServiceCpu { get; }

    /// <summary>Lines cleaned and invalidated so far.</summary>
    public long LinesFlushed { get; private set; }

    /// <summary>Requests that did not touch this agent's range (a NOP, as the driver does).</summary>
    public int RequestsIgnored { get; private set; }

    /// <summary>The ops every instance of this provider uses.</summary>
    public static CacheCoherencyOps ProviderOps { get; } = new(static (i, p) => ((PhysicalRangeCacheProvider)i).Wbinv(p), static i => ((PhysicalRangeCacheProvider)i).Done());

    /// <summary>Allocates (not registers) a provider for [start, start+size) through the registry.</summary>
    public static PhysicalRangeCacheProvider Create(KernelModel kernel, string name, ulong start, ulong size, int serviceCpu = 0)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        kernel.CheckCpu(serviceCpu);
        if (size == 0 || start % 64 != 0 || size % 64 != 0)
        {
            throw new ArgumentException($"provider range 0x{start:x}+0x{size:x} must be non-empty and 64-byte aligned");
        }
        return kernel.CpuCache.Registry.Alloc(ProviderOps, () => new PhysicalRangeCacheProvider(name, kernel.Machine, start, size, serviceCpu))!;
    }

    private Errno Wbinv(CacheInvalidateParams p)
    {
        var (lo, n) = p.Intersect(Start, Size);
        if (n == 0)
        {
            RequestsIgnored++;
            return Errno.Ok;
        }
        var hi = lo + n;
        var lines = new SortedSet<ulong>();
        for (var k = 0; k < machine.CacheCount; k++)
        {
            var cache = machine.Cache(k);
            for (var slot = cache.NextValid(0); slot >= 0; slot = cache.NextValid(slot + 1))
            {
                var a = cache.AddressOf(slot);
                if (a + 64 > lo && a < hi)
                {
                    lines.Add(a);
                }
            }
        }
        var cpu = machine.X86[ServiceCpu];
        foreach (var line in lines)
        {
            if (cpu.ClflushOpt(line) != AccessOutcome.Ok)
            {
                return Errno.EFAULT;
            }
            LinesFlushed++;
        }
        return Errno.Ok;
    }

    private Errno Done()
    {
        machine.X86[ServiceCpu].Sfence();
        return Errno.Ok;
    }
}
