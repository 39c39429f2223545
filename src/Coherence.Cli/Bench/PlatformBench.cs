using System.Diagnostics;
using System.Globalization;
using System.Text;
using Coherence.Platform;
using Coherence.Platform.Addressing;
using Coherence.Platform.Choice;
using Coherence.Platform.Devices;

namespace Coherence.Cli.Bench;

/// <summary>
/// The platform model's figures (issue 2): simulated accesses per second for an L1-hit stream and a miss-heavy
/// stream with provenance on, bytes per touched device line, and the time to erase a device holding a million
/// touched lines at two very different capacities. Single-threaded; each figure is the best of several runs.
/// </summary>
internal static class PlatformBench
{
    private const ulong Base = 0x1_0000_0000;

    public sealed record Result(string Name, double Value, string Unit, string Note);

    public static IReadOnlyList<Result> Run(bool quick)
    {
        var results = new List<Result>();
        var n = quick ? 2_000_000 : 20_000_000;
        results.Add(new("L1-hit loads", Best(3, () => HitStream(n, stores: false)), "M accesses/s", "8-byte loads over 4 KiB, 1 core"));
        results.Add(new("L1-hit stores", Best(3, () => HitStream(n, stores: true)), "M accesses/s", "8-byte stores over 4 KiB through the store buffer"));
        var m = quick ? 500_000 : 5_000_000;
        results.Add(new("L2-miss mix, 1 MiB", Best(3, () => MissStream(m, 1UL << 20)), "M accesses/s", "the same over 1 MiB: misses L1 and L2, hits the LLC"));
        results.Add(new("miss-heavy mix, 16 MiB", Best(3, () => MissStream(m, 16UL << 20)), "M accesses/s", "random 8-byte loads/stores (1 in 4 stores) over 8x the LLC: almost every access misses every level"));
        results.Add(new("miss-heavy mix, 256 MiB", Best(3, () => MissStream(m, 256UL << 20)), "M accesses/s", "the same over 256 MiB (the host's own caches miss too)"));
        var lines = quick ? 100_000 : 1_000_000;
        results.Add(new("device bytes per line (one origin)", BytesPerLine(lines, granularity: 64), "bytes", $"{lines} touched lines, whole-line writes"));
        results.Add(new("device bytes per line (8-byte origins)", BytesPerLine(lines, granularity: 8), "bytes", $"{lines} touched lines, 8 stores of 8 bytes each"));
        results.Add(new("device bytes per line (byte origins)", BytesPerLine(lines, granularity: 1), "bytes", $"{lines} touched lines, worst case: a different origin per byte"));
        results.Add(new("erase 4 TiB device", EraseTime(4UL << 40, lines), "ns", $"{lines} touched lines"));
        results.Add(new("erase 16 GiB device", EraseTime(16UL << 30, lines), "ns", $"{lines} touched lines"));
        return results;
    }

    public static string Format(IReadOnlyList<Result> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"figure",-42} {"value",12}  unit            note");
        foreach (var r in results)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"{r.Name,-42} {r.Value,12:F2}  {r.Unit,-15} {r.Note}");
        }
        return sb.ToString();
    }

    private static double Best(int runs, Func<double> f)
    {
        var best = 0.0;
        for (var i = 0; i < runs; i++)
        {
            best = Math.Max(best, f());
        }
        return best;
    }

    private static Machine NewMachine(ulong size)
    {
        var machine = new Machine(new PlatformConfig { Sockets = 1, CoresPerSocket = 2 }, PlainChooser.Instance);
        var d = machine.AddDevice("nmem0", DeviceKind.Nvdimm, size);
        machine.AddResource("pmem0", Base, size, ResourceKind.PersistentMemory, d);
        return machine;
    }

    private static double HitStream(int n, bool stores)
    {
        var machine = NewMachine(1 << 20);
        var cpu = machine.X86[0];
        Span<byte> data = stackalloc byte[8];
        Span<uint> origins = stackalloc uint[8];
        for (ulong a = 0; a < 4096; a += 64)
        {
            cpu.Store(Base + a, data, 0);
        }
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            var va = Base + (((ulong)i * 8) & 4095);
            if (stores)
            {
                cpu.Store(va, data, 0);
            }
            else
            {
                cpu.Load(va, data, origins);
            }
        }
        return n / sw.Elapsed.TotalSeconds / 1e6;
    }

    private static double MissStream(int n, ulong size)
    {
        var machine = NewMachine(size);
        var cpu = machine.X86[0];
        Span<byte> data = stackalloc byte[8];
        Span<uint> origins = stackalloc uint[8];
        var rng = new SplitMix64(7);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            var r = rng.NextUInt64();
            var va = Base + ((r % size) & ~7UL);
            if ((r >> 62) == 0)
            {
                cpu.Store(va, data, 0);
            }
            else
            {
                cpu.Load(va, data, origins);
            }
        }
        return n / sw.Elapsed.TotalSeconds / 1e6;
    }

    private static double BytesPerLine(int lines, int granularity)
    {
        var machine = NewMachine(1UL << 40);
        var device = machine.Devices[0];
        Span<byte> data = stackalloc byte[64];
        for (var i = 0; i < lines; i++)
        {
            var a = Base + ((ulong)i * 4096 * 3);
            for (var off = 0; off < 64; off += granularity)
            {
                machine.DeviceWrite(a + (ulong)off, data[..granularity]);
            }
        }
        // The device's storage: hash table, line pools and origin pools, counted from their array sizes. The origin
        // table (24 bytes per write, whatever the device) is reported apart.
        return device.StorageBytes / (double)lines;
    }

    private static double EraseTime(ulong size, int lines)
    {
        var machine = NewMachine(size);
        var device = machine.Devices[0];
        Span<byte> data = stackalloc byte[64];
        var stride = size / (ulong)lines & ~4095UL;
        for (var i = 0; i < lines; i++)
        {
            machine.DeviceWrite(Base + ((ulong)i * stride), data);
        }
        var best = double.MaxValue;
        for (var k = 0; k < 5; k++)
        {
            var start = Stopwatch.GetTimestamp();
            machine.EraseDevice(device);
            best = Math.Min(best, (Stopwatch.GetTimestamp() - start) * 1e9 / Stopwatch.Frequency);
        }
        return best;
    }
}
