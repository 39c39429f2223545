using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Coherence.Native.CacheLines;

namespace Coherence.Native.Copy;

/// <summary>
/// The native flushcache copy (<c>memcpy_flushcache</c>) on x86-64: <see cref="FlushCacheAlgorithm"/> specialised
/// for the real CPU with the widest non-temporal stores it has. After <see cref="Copy(void*, void*, nuint)"/> no
/// destination line is dirty in the cache; after <see cref="Drain"/> (SFENCE) every store and write-back of earlier
/// copies is complete. <see cref="Persist(void*, void*, nuint)"/> is both.
/// </summary>
/// <remarks>Source and destination must not overlap. Not thread-safe with respect to other writers of the destination.</remarks>
public static unsafe class FlushCache
{
    private static readonly NonTemporalRung Best = ChooseRung();

    /// <summary>True on x86-64 with SSE2 and a working cache-line write-back.</summary>
    public static bool IsSupported { get; } = Sse2.X64.IsSupported && CacheLine.IsSupported;

    /// <summary>
    /// The shape the native copy uses: <see cref="FlushCacheShape.WholeLines"/>, the kernel's algorithm with
    /// line-sized cached edges, because mixing cached and non-temporal stores in one line is slow on x86 (see
    /// <c>docs/performance.md</c>). The exact kernel shape stays available to the model back-end and the tests.
    /// </summary>
    public const FlushCacheShape Shape = FlushCacheShape.WholeLines;

    /// <summary>The rung of the intrinsics ladder the copy uses on this CPU (Avx512 → Avx → Sse2 → Scalar).</summary>
    public static NonTemporalRung Rung => Best;

    /// <summary>Copies <paramref name="length"/> bytes, leaving no dirty destination line; no fence.</summary>
    /// <exception cref="PlatformNotSupportedException">Not x86-64 (see <see cref="IsSupported"/>).</exception>
    public static void Copy(void* destination, void* source, nuint length) =>
        Copy(Best, Shape, (ulong)destination, (ulong)source, length);

    /// <summary>Copies all of <paramref name="source"/> to the start of <paramref name="destination"/>, leaving no dirty line; no fence.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="source"/>.</exception>
    public static void Copy(Span<byte> destination, ReadOnlySpan<byte> source)
    {
        CheckLengths(destination.Length, source.Length);
        fixed (byte* d = destination)
        fixed (byte* s = source)
        {
            Copy(Best, Shape, (ulong)d, (ulong)s, (nuint)source.Length);
        }
    }

    /// <summary>Sets <paramref name="length"/> bytes to <paramref name="value"/> the same way (the <c>memset</c> twin); no fence.</summary>
    public static void Fill(void* destination, byte value, nuint length) => Fill(Best, Shape, (ulong)destination, value, length);

    /// <summary>Sets every byte of <paramref name="destination"/> to <paramref name="value"/>, leaving no dirty line; no fence.</summary>
    public static void Fill(Span<byte> destination, byte value)
    {
        fixed (byte* d = destination)
        {
            Fill(Best, Shape, (ulong)d, value, (nuint)destination.Length);
        }
    }

    /// <summary>The fence (SFENCE) that completes earlier copies, fills and write-backs (<c>pmem_drain</c>, <c>pmem_wmb</c>).</summary>
    public static void Drain() => CacheLine.Fence();

    /// <summary><see cref="Copy(void*, void*, nuint)"/> then <see cref="Drain"/>.</summary>
    public static void Persist(void* destination, void* source, nuint length)
    {
        Copy(destination, source, length);
        Drain();
    }

    /// <summary><see cref="Copy(Span{byte}, ReadOnlySpan{byte})"/> then <see cref="Drain"/>.</summary>
    public static void Persist(Span<byte> destination, ReadOnlySpan<byte> source)
    {
        Copy(destination, source);
        Drain();
    }

    /// <summary>True when this CPU can run <paramref name="rung"/>.</summary>
    public static bool Supports(NonTemporalRung rung) => IsSupported && rung switch
    {
        NonTemporalRung.Avx512 => Avx512Rung.IsSupported,
        NonTemporalRung.Avx => AvxRung.IsSupported,
        NonTemporalRung.Sse2 => Sse2Rung.IsSupported,
        NonTemporalRung.Scalar => ScalarRung.IsSupported,
        _ => false,
    };

    /// <summary>The copy capped at <paramref name="rung"/> in either shape, so that every rung can be exercised on one machine.</summary>
    internal static void Copy(NonTemporalRung rung, FlushCacheShape shape, ulong destination, ulong source, ulong length)
    {
        switch (rung)
        {
            case NonTemporalRung.Avx512 when Avx512Rung.IsSupported && IsSupported:
                var a = default(X86FlushCpu<Avx512Rung>);
                FlushCacheAlgorithm.Copy(ref a, destination, source, length, shape);
                break;
            case NonTemporalRung.Avx when AvxRung.IsSupported && IsSupported:
                var v = default(X86FlushCpu<AvxRung>);
                FlushCacheAlgorithm.Copy(ref v, destination, source, length, shape);
                break;
            case NonTemporalRung.Sse2 when Sse2Rung.IsSupported && IsSupported:
                var s = default(X86FlushCpu<Sse2Rung>);
                FlushCacheAlgorithm.Copy(ref s, destination, source, length, shape);
                break;
            case NonTemporalRung.Scalar when ScalarRung.IsSupported && IsSupported:
                var c = default(X86FlushCpu<ScalarRung>);
                FlushCacheAlgorithm.Copy(ref c, destination, source, length, shape);
                break;
            default:
                throw Unsupported(rung);
        }
    }

    /// <summary>The fill capped at <paramref name="rung"/>.</summary>
    internal static void Fill(NonTemporalRung rung, FlushCacheShape shape, ulong destination, byte value, ulong length)
    {
        // A 256-byte block of the value, 64-aligned, on the stack: every store of the fill reads from its start.
        var raw = stackalloc byte[256 + 64];
        var pattern = (byte*)(((nuint)raw + 63) & ~(nuint)63);
        new Span<byte>(pattern, 256).Fill(value);
        var p = (ulong)pattern;
        switch (rung)
        {
            case NonTemporalRung.Avx512 when Avx512Rung.IsSupported && IsSupported:
                var a = default(X86FlushCpu<Avx512Rung>);
                FlushCacheAlgorithm.Fill(ref a, destination, p, length, shape);
                break;
            case NonTemporalRung.Avx when AvxRung.IsSupported && IsSupported:
                var v = default(X86FlushCpu<AvxRung>);
                FlushCacheAlgorithm.Fill(ref v, destination, p, length, shape);
                break;
            case NonTemporalRung.Sse2 when Sse2Rung.IsSupported && IsSupported:
                var s = default(X86FlushCpu<Sse2Rung>);
                FlushCacheAlgorithm.Fill(ref s, destination, p, length, shape);
                break;
            case NonTemporalRung.Scalar when ScalarRung.IsSupported && IsSupported:
                var c = default(X86FlushCpu<ScalarRung>);
                FlushCacheAlgorithm.Fill(ref c, destination, p, length, shape);
                break;
            default:
                throw Unsupported(rung);
        }
    }

    private static Exception Unsupported(NonTemporalRung rung) => IsSupported
        ? new NotSupportedException($"this CPU cannot run the {rung} rung ({(int)rung}-byte non-temporal stores)")
        : new PlatformNotSupportedException(
            $"the native flushcache copy needs x86-64 with SSE2 and cache-line write-back; this is {RuntimeInformation.ProcessArchitecture}");

    private static NonTemporalRung ChooseRung() =>
        Avx512Rung.IsSupported ? NonTemporalRung.Avx512
        : AvxRung.IsSupported ? NonTemporalRung.Avx
        : Sse2Rung.IsSupported ? NonTemporalRung.Sse2
        : NonTemporalRung.Scalar;

    private static void CheckLengths(int destination, int source)
    {
        if (destination < source)
        {
            throw new ArgumentException(
                $"the destination ({destination} bytes) is shorter than the source ({source} bytes)", nameof(destination));
        }
    }
}
