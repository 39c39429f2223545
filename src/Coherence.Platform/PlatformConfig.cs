using Coherence.Platform.Caches;
using Coherence.Platform.Isa.Arm64;
using Coherence.Platform.Persistence;

namespace Coherence.Platform;

/// <summary>
/// The shape of a machine: sockets × cores, private L1D and L2 per core, one shared LLC per socket, buffers,
/// persistence domain, and which spontaneous hardware actions the chooser may take.
/// </summary>
public sealed record PlatformConfig
{
    /// <summary>Number of sockets (at least 1).</summary>
    public int Sockets { get; init; } = 1;

    /// <summary>Cores per socket (at least 1).</summary>
    public int CoresPerSocket { get; init; } = 2;

    /// <summary>Each core's L1 data cache.</summary>
    public CacheConfig L1 { get; init; } = new(32 * 1024, 8);

    /// <summary>Each core's L2.</summary>
    public CacheConfig L2 { get; init; } = new(256 * 1024, 8);

    /// <summary>Each socket's shared last-level cache.</summary>
    public CacheConfig Llc { get; init; } = new(2 * 1024 * 1024, 16);

    /// <summary>The persistence domain.</summary>
    public PersistenceDomain Persistence { get; init; } = PersistenceDomain.Adr;

    /// <summary>Store-buffer entries per core.</summary>
    public int StoreBufferEntries { get; init; } = 56;

    /// <summary>Write-combining buffers per core.</summary>
    public int WcBuffers { get; init; } = 4;

    /// <summary>When true, the chooser may evict any cached line at any time (not only the policy's victim on a fill).</summary>
    public bool SpontaneousEvictions { get; init; }

    /// <summary>When true, the chooser may fetch any line a core has accessed through a write-back mapping into its L1.</summary>
    public bool SpeculativeFetch { get; init; }

    /// <summary>The instruction set the platform's software uses (both interfaces exist on every core).</summary>
    public InstructionSet InstructionSet { get; init; } = InstructionSet.X86;

    /// <summary>The optional AArch64 features every core implements (FEAT_S2FWB, CTR_EL0.DIC, FEAT_DCPoP); read by
    /// <see cref="Isa.Arm64.Arm64Cpu"/> and the kernel's capability detection. Defaults to all of them.</summary>
    public Arm64Features Arm64Features { get; init; } = Arm64Features.All;

    /// <summary>At most this many background actions follow one step (a bound, so a random chooser cannot loop forever).</summary>
    public int MaxBackgroundPerStep { get; init; } = 1024;

    /// <summary>TDX: KeyIDs, TD-owned memory and the partial-write erratum; null for a platform without TDX.</summary>
    public Tdx.TdxPlatform? Tdx { get; init; }

    /// <summary>Total number of cores.</summary>
    public int CpuCount => Sockets * CoresPerSocket;

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the first offending one.</summary>
    public void Validate()
    {
        if (Sockets < 1 || Sockets > 16)
        {
            throw new ArgumentException($"sockets {Sockets} must be between 1 and 16");
        }
        if (CoresPerSocket < 1 || CoresPerSocket > 64)
        {
            throw new ArgumentException($"cores per socket {CoresPerSocket} must be between 1 and 64");
        }
        _ = new CacheGeometry(L1.SizeBytes, L1.Ways);
        _ = new CacheGeometry(L2.SizeBytes, L2.Ways);
        _ = new CacheGeometry(Llc.SizeBytes, Llc.Ways);
        if (StoreBufferEntries < 1)
        {
            throw new ArgumentException($"store buffer entries {StoreBufferEntries} must be at least 1");
        }
        if (WcBuffers < 1)
        {
            throw new ArgumentException($"write-combining buffers {WcBuffers} must be at least 1");
        }
        Tdx?.Validate();
        if (MaxBackgroundPerStep < 1)
        {
            throw new ArgumentException($"max background actions per step {MaxBackgroundPerStep} must be at least 1");
        }
    }
}
