using BenchmarkDotNet.Attributes;
using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Choice;
using Coherence.Platform.Devices;

namespace Coherence.Benchmarks;

/// <summary>
/// The platform model's hot paths, one simulated access per operation:
/// <c>dotnet run -c Release --project bench/Coherence.Benchmarks -- --filter '*PlatformBenchmarks*'</c>.
/// The side-by-side figures of docs/performance.md come from <c>coherence bench platform</c>.
/// </summary>
[MemoryDiagnoser]
public class PlatformBenchmarks
{
    private const ulong Base = 0x1_0000_0000;
    private const int Accesses = 4096;
    private Machine machine = null!;
    private ulong[] missAddresses = [];
    private readonly byte[] data = new byte[8];
    private readonly uint[] origins = new uint[8];

    /// <summary>The footprint of the miss stream, in MiB (the LLC is 2 MiB).</summary>
    [Params(1, 16)]
    public int FootprintMiB { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        machine = new Machine(new PlatformConfig { Sockets = 1, CoresPerSocket = 2 }, PlainChooser.Instance);
        var size = 256UL << 20;
        var device = machine.AddDevice("nmem0", DeviceKind.Nvdimm, size);
        machine.AddResource("pmem0", Base, size, ResourceKind.PersistentMemory, device);
        var rng = new SplitMix64(11);
        var footprint = (ulong)FootprintMiB << 20;
        missAddresses = new ulong[Accesses];
        for (var i = 0; i < Accesses; i++)
        {
            missAddresses[i] = Base + ((rng.NextUInt64() % footprint) & ~7UL);
        }
        for (ulong a = 0; a < 4096; a += 64)
        {
            machine.X86[0].Store(Base + a, data, 0);
        }
    }

    [Benchmark(OperationsPerInvoke = Accesses)]
    public void L1HitLoads()
    {
        var cpu = machine.X86[0];
        for (var i = 0; i < Accesses; i++)
        {
            cpu.Load(Base + (((ulong)i * 8) & 4095), data, origins);
        }
    }

    [Benchmark(OperationsPerInvoke = Accesses)]
    public void L1HitStores()
    {
        var cpu = machine.X86[0];
        for (var i = 0; i < Accesses; i++)
        {
            cpu.Store(Base + (((ulong)i * 8) & 4095), data, 0);
        }
    }

    [Benchmark(OperationsPerInvoke = Accesses)]
    public void MissMix()
    {
        var cpu = machine.X86[0];
        for (var i = 0; i < Accesses; i++)
        {
            if ((i & 3) == 0)
            {
                cpu.Store(missAddresses[i], data, 0);
            }
            else
            {
                cpu.Load(missAddresses[i], data, origins);
            }
        }
    }
}
