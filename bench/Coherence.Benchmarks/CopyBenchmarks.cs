using BenchmarkDotNet.Attributes;
using Coherence.Native.Bench;
using Coherence.Native.Memory;

namespace Coherence.Benchmarks;

/// <summary>
/// The native flushcache copy (with its drain) against libpmem's <c>pmem_memcpy</c> (non-temporal, then
/// <c>pmem_drain</c>), <c>pmem_memcpy_persist</c> and plain memcpy, at the sizes, destination aligned or
/// +5 bytes. The libpmem benchmarks fail in setup when <c>libpmem.so.1</c> is absent
/// (<c>bash .ci/setup libpmem</c>). Run: <c>dotnet run -c Release --project bench/Coherence.Benchmarks -- --filter '*CopyBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class CopyBenchmarks
{
    private AlignedBuffer? source;
    private AlignedBuffer? destination;
    private nint dst;
    private nint src;

    public static IEnumerable<long> Sizes => CopyBenchOptions.StandardSizes;

    [ParamsSource(nameof(Sizes))]
    public long Size { get; set; }

    [Params(false, true)]
    public bool Misaligned { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        source = new AlignedBuffer(Size + 64);
        destination = new AlignedBuffer(Size + 64);
        new Random(42).NextBytes(source.Span[..(int)Math.Min(Size, 1 << 20)]);
        src = source.Address;
        dst = destination.Address + (Misaligned ? 5 : 0);
    }

    [GlobalSetup(Targets = [nameof(LibpmemNt), nameof(LibpmemPersist)])]
    public void SetupLibpmem()
    {
        if (!LibPmem.IsAvailable)
        {
            throw new InvalidOperationException($"{LibPmem.Library} not found: install it with 'bash .ci/setup libpmem'");
        }

        Setup();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        source?.Dispose();
        destination?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "FlushCache.Copy + Drain")]
    public void Coherence() => CopyCandidates.Coherence(dst, src, (nuint)Size);

    [Benchmark(Description = "pmem_memcpy NT|NODRAIN + pmem_drain")]
    public void LibpmemNt() => CopyCandidates.LibpmemNt(dst, src, (nuint)Size);

    [Benchmark(Description = "pmem_memcpy_persist")]
    public void LibpmemPersist() => CopyCandidates.LibpmemPersist(dst, src, (nuint)Size);

    [Benchmark(Description = "Buffer.MemoryCopy (dirty)")]
    public void Memcpy() => CopyCandidates.Memcpy(dst, src, (nuint)Size);
}
