using System.Runtime.Intrinsics.X86;
using Coherence.Native.Cpu;

namespace Coherence.Native.CacheLines;

/// <summary>
/// Cache-line maintenance on real memory (x86-64): write a range back (<c>clean_cache_range</c>,
/// <c>arch_wb_cache_pmem</c>), flush and invalidate a range (<c>clflush_cache_range</c> without its fences), and
/// the store fence (<c>pmem_wmb</c>). None of the range operations fences; call <see cref="Fence"/> to order them
/// before later stores and to wait for them to complete.
/// </summary>
/// <remarks>
/// .NET has no intrinsic for CLWB or CLFLUSHOPT, so each instruction runs in a few bytes of machine code mapped
/// executable at start-up (see <c>docs/native.md</c>). The write-back instruction is chosen once: CLWB, else
/// CLFLUSHOPT, else CLFLUSH.
/// </remarks>
public static unsafe class CacheLine
{
    private static readonly nuint LineSize = (nuint)CpuFeatures.Current.ClflushLineSize;
    private static readonly WriteBackInstruction? Chosen = Choose(CpuFeatures.Current);
    private static readonly WriteBackInstruction? ChosenInvalidate = ChooseInvalidate(CpuFeatures.Current);

    /// <summary>
    /// The chosen write-back loop <c>(start, end, stride)</c>, for callers that write back one line at a time on a
    /// hot path; null when <see cref="IsSupported"/> is false.
    /// </summary>
    internal static readonly delegate* unmanaged[SuppressGCTransition]<nuint, nuint, nuint, void> WriteBackLoop = ChooseLoop();

    /// <summary>The cache-line size in bytes that the line instructions act on (CPUID's CLFLUSH line size).</summary>
    public static int Size => (int)LineSize;

    /// <summary>True when this CPU can write lines back (x86 with at least CLFLUSH, and the stubs could be mapped).</summary>
    public static bool IsSupported => WriteBackLoop != null;

    /// <summary>The instruction <see cref="WriteBack(void*, nuint)"/> uses, chosen once at start-up.</summary>
    /// <exception cref="PlatformNotSupportedException">The CPU has none (not x86).</exception>
    public static WriteBackInstruction WriteBackInstruction =>
        Chosen ?? throw new PlatformNotSupportedException($"no cache-line write-back instruction on {CpuFeatures.Current.Architecture}");

    /// <summary>The instruction <see cref="FlushInvalidate(void*, nuint)"/> uses: CLFLUSHOPT, else CLFLUSH.</summary>
    /// <exception cref="PlatformNotSupportedException">The CPU has none (not x86).</exception>
    public static WriteBackInstruction InvalidateInstruction =>
        ChosenInvalidate ?? throw new PlatformNotSupportedException($"no cache-line flush instruction on {CpuFeatures.Current.Architecture}");

    private static delegate* unmanaged[SuppressGCTransition]<nuint, nuint, nuint, void> ChooseLoop()
    {
        if (Chosen is not { } instruction)
        {
            return null;
        }

        try
        {
            return LineStubs.Loop(instruction);
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes back every cache line that overlaps <c>[address, address + length)</c>; lines may stay cached (CLWB).
    /// Nothing happens for a zero length. No fence.
    /// </summary>
    public static void WriteBack(void* address, nuint length) => Run(WriteBackInstruction, (nuint)address, length);

    /// <summary>Writes back every cache line that overlaps <paramref name="data"/>. No fence.</summary>
    public static void WriteBack(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            WriteBack(p, (nuint)data.Length);
        }
    }

    /// <summary>
    /// Writes back and invalidates every cache line that overlaps <c>[address, address + length)</c> (CLFLUSHOPT,
    /// else CLFLUSH). No fence: CLFLUSHOPT is ordered only by a later <see cref="Fence"/>.
    /// </summary>
    public static void FlushInvalidate(void* address, nuint length) => Run(InvalidateInstruction, (nuint)address, length);

    /// <summary>Writes back and invalidates every cache line that overlaps <paramref name="data"/>. No fence.</summary>
    public static void FlushInvalidate(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            FlushInvalidate(p, (nuint)data.Length);
        }
    }

    /// <summary>
    /// The store fence (SFENCE; the kernel's <c>pmem_wmb</c>): earlier non-temporal stores, CLWB and CLFLUSHOPT are
    /// complete and globally visible before any later store.
    /// </summary>
    public static void Fence()
    {
        if (Sse.IsSupported)
        {
            Sse.StoreFence();
        }
        else
        {
            Interlocked.MemoryBarrier();
        }
    }

    /// <summary>Runs <paramref name="instruction"/> over the lines of a range; used to exercise every instruction.</summary>
    /// <exception cref="NotSupportedException">This CPU does not implement the instruction (it would fault).</exception>
    internal static void Run(WriteBackInstruction instruction, nuint address, nuint length)
    {
        if (length == 0)
        {
            return;
        }

        if (!Implements(CpuFeatures.Current, instruction))
        {
            throw new NotSupportedException($"this CPU does not implement {instruction.ToString().ToUpperInvariant()}");
        }

        var start = address & ~(LineSize - 1);
        LineStubs.Loop(instruction)(start, address + length, LineSize);
    }

    /// <summary>True when <paramref name="features"/> says the CPU implements <paramref name="instruction"/>.</summary>
    internal static bool Implements(CpuFeatures features, WriteBackInstruction instruction) => instruction switch
    {
        WriteBackInstruction.Clwb => features.Clwb,
        WriteBackInstruction.ClflushOpt => features.ClflushOpt,
        WriteBackInstruction.Clflush => features.Clflush,
        _ => false,
    };

    /// <summary>CLWB, else CLFLUSHOPT, else CLFLUSH, else none.</summary>
    internal static WriteBackInstruction? Choose(CpuFeatures features) =>
        features.Clwb ? WriteBackInstruction.Clwb
        : features.ClflushOpt ? WriteBackInstruction.ClflushOpt
        : features.Clflush ? WriteBackInstruction.Clflush
        : null;

    /// <summary>CLFLUSHOPT, else CLFLUSH, else none.</summary>
    internal static WriteBackInstruction? ChooseInvalidate(CpuFeatures features) =>
        features.ClflushOpt ? WriteBackInstruction.ClflushOpt
        : features.Clflush ? WriteBackInstruction.Clflush
        : null;
}
