using Coherence.Native.Copy;
using Coherence.Platform;
using Coherence.Platform.Isa.X86;

namespace Coherence.Kernel.Pmem;

/// <summary>
/// The model instantiation of <see cref="FlushCacheAlgorithm"/>: every operation is one instruction on a modelled
/// <see cref="X86Cpu"/>. Destination addresses are virtual addresses of that CPU; source addresses are indices into
/// <see cref="Source"/> (kernel memory the model does not simulate). Non-temporal stores are MOVNTI-sized by default
/// (<see cref="NonTemporalWidth"/> = 8), which makes <see cref="FlushCacheShape.Kernel"/> exactly the kernel's
/// <c>__memcpy_flushcache</c>: 4×8-byte blocks, then 8, then 4.
/// </summary>
public struct ModelFlushCpu : IFlushCpu
{
    private readonly X86Cpu cpu;
    private readonly string? tenant;

    /// <summary>Creates the back-end for <paramref name="cpu"/> reading from <paramref name="source"/>.</summary>
    public ModelFlushCpu(X86Cpu cpu, byte[] source, int nonTemporalWidth = 8, string? tenant = null)
    {
        if (nonTemporalWidth is not (8 or 16 or 32 or 64))
        {
            throw new ArgumentOutOfRangeException(nameof(nonTemporalWidth), $"non-temporal width {nonTemporalWidth}: must be 8, 16, 32 or 64");
        }
        this.cpu = cpu;
        Source = source;
        NonTemporalWidth = nonTemporalWidth;
        this.tenant = tenant;
        Outcome = AccessOutcome.Ok;
    }

    /// <summary>The bytes source addresses index.</summary>
    public byte[] Source { get; }

    /// <summary>The first outcome other than <see cref="AccessOutcome.Ok"/> an instruction returned, else Ok.</summary>
    public AccessOutcome Outcome { get; private set; }

    /// <summary>Instructions issued (stores, write-backs and fences), for tests and traces.</summary>
    public int Instructions { get; private set; }

    /// <inheritdoc/>
    public int NonTemporalWidth { get; }

    /// <inheritdoc/>
    public readonly int LineSize => 64;

    /// <inheritdoc/>
    public void StoreCached(ulong destination, ulong source, int length) =>
        Note(cpu.Store(destination, Source.AsSpan((int)source, length), tenant));

    /// <inheritdoc/>
    public void StoreNonTemporal4(ulong destination, ulong source) => Nt(destination, source, 4);

    /// <inheritdoc/>
    public void StoreNonTemporal8(ulong destination, ulong source) => Nt(destination, source, 8);

    /// <inheritdoc/>
    public void StoreNonTemporal16(ulong destination, ulong source) => Nt(destination, source, 16);

    /// <inheritdoc/>
    public void StoreNonTemporal32(ulong destination, ulong source) => Nt(destination, source, 32);

    /// <inheritdoc/>
    public void StoreNonTemporal64(ulong destination, ulong source) => Nt(destination, source, 64);

    /// <inheritdoc/>
    public void StoreNonTemporalBlock(ulong destination, ulong source)
    {
        var w = (ulong)NonTemporalWidth;
        for (ulong i = 0; i < 4; i++)
        {
            Nt(destination + (i * w), source + (i * w), NonTemporalWidth);
        }
    }

    /// <inheritdoc/>
    public void WriteBackLine(ulong lineAddress) => Note(cpu.Clwb(lineAddress));

    /// <inheritdoc/>
    public void Fence()
    {
        cpu.Sfence();
        Instructions++;
    }

    private void Nt(ulong destination, ulong source, int width) =>
        Note(cpu.StoreNonTemporal(destination, Source.AsSpan((int)source, width), tenant));

    private void Note(AccessOutcome outcome)
    {
        Instructions++;
        if (Outcome == AccessOutcome.Ok && outcome != AccessOutcome.Ok)
        {
            Outcome = outcome;
        }
    }
}
