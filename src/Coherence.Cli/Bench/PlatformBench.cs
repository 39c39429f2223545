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
/// touched lines at two very different capacities. Single-threaded.
/// </summary>
/// <remarks>
/// Each throughput figure is measured after a warm-up: one untimed run of the same stream first (so the JIT has
/// compiled the optimised code), and inside every run an untimed prefix that fills the simulated caches (so the
/// timed part is the steady state, where a miss evicts at every level). It is then the best of three timed runs by
/// wall-clock time; the second column divides the same number of accesses by the process's CPU time instead, which
/// on a shared machine is the closer estimate of what an idle one would show.
/// </remarks>
internal static class PlatformBench
{
    private const ulong Base = 0x1_0000_0000;
    private const int Runs = 3;

    private static string StartLoad = "load average unknown";

    /// <summary>Where the pointer chase leaves its last index, so that the JIT cannot drop the chase.</summary>
    private static int ChaseEnd;

    public sealed record Result(string Name, double Value, string Unit, string Note, double? PerCpuSecond = null);

    /// <summary>One timed run: accesses made, wall-clock seconds and process CPU seconds.</summary>
    private readonly record struct Timing(int Accesses, double WallSeconds, double CpuSeconds);

    /// <summary>The names of every figure, in the order they are measured.</summary>
    public static IReadOnlyList<string> FigureNames => [.. Figures(quick: true).Select(f => f.Name)];

    /// <summary>True when <paramref name="name"/> is selected by <c>--only <paramref name="only"/></c>.</summary>
    public static bool Selects(string? only, string name) => only is null || name.Contains(only, StringComparison.OrdinalIgnoreCase);

    /// <summary>Measures every figure, or with <paramref name="only"/> those that <see cref="Selects"/> picks.</summary>
    public static IReadOnlyList<Result> Run(bool quick, string? only = null)
    {
        StartLoad = LoadAverage();
        return [.. Figures(quick).Where(f => Selects(only, f.Name)).Select(f => f.Measure())];
    }

    /// <summary>Every figure with the function that measures it (nothing runs until it is called).</summary>
    private static List<(string Name, Func<Result> Measure)> Figures(bool quick)
    {
        var figures = new List<(string Name, Func<Result> Measure)>();
        void Add(string name, Func<Result> figure) => figures.Add((name, figure));
        var n = quick ? 2_000_000 : 20_000_000;
        Add("L1-hit loads", () => Throughput("L1-hit loads", n => HitStream(n, stores: false), n, "8-byte loads over 4 KiB, 1 core"));
        Add("L1-hit stores", () => Throughput("L1-hit stores", n => HitStream(n, stores: true), n, "8-byte stores over 4 KiB through the store buffer"));
        var m = quick ? 500_000 : 5_000_000;
        Add("L2-miss mix, 1 MiB", () => Throughput("L2-miss mix, 1 MiB", n => MissStream(n, 1UL << 20), m, "the same over 1 MiB: misses L1 and L2, hits the LLC"));
        Add("miss-heavy mix, 16 MiB", () => Throughput("miss-heavy mix, 16 MiB", n => MissStream(n, 16UL << 20), m, "random 8-byte loads/stores (1 in 4 stores) over 8x the LLC: almost every access misses every level"));
        Add("miss-heavy mix, 256 MiB", () => Throughput("miss-heavy mix, 256 MiB", n => MissStream(n, 256UL << 20), m, "the same over 256 MiB (the host's own caches miss too)"));
        Add("all-miss mix, small hierarchy", () => Throughput("all-miss mix, small hierarchy", n => MissStream(n, 256UL << 10, SmallHierarchy), m, "the same mix over 256 KiB with 2 KiB L1, 4 KiB L2, 16 KiB LLC (11x what is cached): almost every access misses every level while the model's state fits the host's caches, so this is the simulator's own cost per miss"));
        var steps = quick ? 2_000_000 : 20_000_000;
        Add("host random read latency, 4 MiB", () => new("host random read latency, 4 MiB", HostLatency(4, steps), "ns", "dependent loads, one per 64-byte host line, over 4 MiB: what the host's caches answer in"));
        Add("host random read latency, 64 MiB", () => new("host random read latency, 64 MiB", HostLatency(64, steps), "ns", "the same over 64 MiB: one host memory access, which the miss mixes pay at least once per miss"));
        var lines = quick ? 100_000 : 1_000_000;
        Add("device bytes per line (one origin)", () => new("device bytes per line (one origin)", BytesPerLine(lines, granularity: 64), "bytes", $"{lines} touched lines, whole-line writes"));
        Add("device bytes per line (8-byte origins)", () => new("device bytes per line (8-byte origins)", BytesPerLine(lines, granularity: 8), "bytes", $"{lines} touched lines, 8 stores of 8 bytes each"));
        Add("device bytes per line (byte origins)", () => new("device bytes per line (byte origins)", BytesPerLine(lines, granularity: 1), "bytes", $"{lines} touched lines, worst case: a different origin per byte"));
        Add("erase 4 TiB device", () => new("erase 4 TiB device", EraseTime(4UL << 40, lines), "ns", $"{lines} touched lines, best of 5"));
        Add("erase 16 GiB device", () => new("erase 16 GiB device", EraseTime(16UL << 30, lines), "ns", $"{lines} touched lines, best of 5"));
        return figures;
    }

    public static string Format(IReadOnlyList<Result> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"machine: {Environment.ProcessorCount} logical CPUs; {StartLoad} at the start, {LoadAverage()} at the end; .NET {Environment.Version}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"figure",-42} {"value",12} {"per CPU-s",10}  unit            note");
        foreach (var r in results)
        {
            var cpu = r.PerCpuSecond is { } c ? c.ToString("F2", CultureInfo.InvariantCulture) : "";
            sb.AppendLine(CultureInfo.InvariantCulture, $"{r.Name,-42} {r.Value,12:F2} {cpu,10}  {r.Unit,-15} {r.Note}");
        }
        return sb.ToString();
    }

    /// <summary>The 1-minute load average (Linux), so that a reader can tell a loaded machine's figures apart.</summary>
    private static string LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return "load average " + text.Split(' ')[0];
        }
        catch (IOException)
        {
            return "load average unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "load average unknown";
        }
    }

    /// <summary>Warms up with one untimed run of a tenth of the accesses, then reports the best of <see cref="Runs"/>
    /// timed runs (wall clock) and the best rate per CPU second.</summary>
    private static Result Throughput(string name, Func<int, Timing> stream, int accesses, string note)
    {
        stream(Math.Max(accesses / 10, 100_000));
        var best = 0.0;
        var bestCpu = 0.0;
        for (var i = 0; i < Runs; i++)
        {
            var t = stream(accesses);
            best = Math.Max(best, t.Accesses / t.WallSeconds / 1e6);
            bestCpu = Math.Max(bestCpu, t.Accesses / t.CpuSeconds / 1e6);
        }
        return new(name, best, "M accesses/s", $"{note}; best of {Runs} after warm-up", bestCpu);
    }

    private static Timing Measure(int accesses, Action run)
    {
        var cpu0 = ProcessCpuSeconds();
        var start = Stopwatch.GetTimestamp();
        run();
        var wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new(accesses, wall, Math.Max(ProcessCpuSeconds() - cpu0, 1e-9));
    }

    private static double ProcessCpuSeconds()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime.TotalSeconds;
    }

    private static readonly PlatformConfig DefaultHierarchy = new() { Sockets = 1, CoresPerSocket = 2 };

    private static readonly PlatformConfig SmallHierarchy = DefaultHierarchy with
    {
        L1 = new(2 * 1024, 8),
        L2 = new(4 * 1024, 8),
        Llc = new(16 * 1024, 16),
    };

    private static Machine NewMachine(ulong size, PlatformConfig? config = null)
    {
        var machine = new Machine(config ?? DefaultHierarchy, PlainChooser.Instance);
        var d = machine.AddDevice("nmem0", DeviceKind.Nvdimm, size);
        machine.AddResource("pmem0", Base, size, ResourceKind.PersistentMemory, d);
        return machine;
    }

    private static Timing HitStream(int n, bool stores)
    {
        var machine = NewMachine(1 << 20);
        var cpu = machine.X86[0];
        var data = new byte[8];
        var origins = new uint[8];
        for (ulong a = 0; a < 4096; a += 64)
        {
            cpu.Store(Base + a, data, 0);
        }
        return Measure(n, () =>
        {
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
        });
    }

    /// <summary>Random 8-byte accesses over <paramref name="size"/> bytes, one in four a store. An untimed prefix as
    /// long as four times the simulated cache capacity in lines fills every level first.</summary>
    private static Timing MissStream(int n, ulong size, PlatformConfig? config = null)
    {
        var machine = NewMachine(size, config);
        var cpu = machine.X86[0];
        var data = new byte[8];
        var origins = new uint[8];
        var rng = new SplitMix64(7);
        var cachedLines = 0L;
        for (var k = 0; k < machine.CacheCount; k++)
        {
            cachedLines += machine.Cache(k).SlotCount;
        }
        void Access(ref SplitMix64 rng)
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
        for (var i = 0L; i < 4 * cachedLines; i++)
        {
            Access(ref rng);
        }
        return Measure(n, () =>
        {
            for (var i = 0; i < n; i++)
            {
                Access(ref rng);
            }
        });
    }

    /// <summary>Nanoseconds per dependent load over a random cycle through <paramref name="mebibytes"/> MiB, one
    /// element per 64-byte host line: over a few MiB the host's caches answer, over tens of MiB its memory (with a TLB
    /// miss), which is what a miss mix pays whenever the simulated line's record is not in the host's caches.</summary>
    private static double HostLatency(int mebibytes, int steps)
    {
        const int Stride = 16; // ints per 64-byte host line
        var lines = (mebibytes << 20) / 64;
        var next = new int[lines * Stride];
        var order = new int[lines];
        for (var i = 0; i < lines; i++)
        {
            order[i] = i;
        }
        var rng = new SplitMix64(11);
        for (var i = lines - 1; i > 0; i--)
        {
            var j = (int)(rng.NextUInt64() % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        for (var i = 0; i < lines; i++)
        {
            next[order[i] * Stride] = order[(i + 1) % lines] * Stride;
        }
        var best = double.MaxValue;
        var at = 0;
        for (var run = 0; run < Runs; run++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var s = 0; s < steps; s++)
            {
                at = next[at];
            }
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds / steps);
        }
        ChaseEnd = at; // an int field: no boxing, unlike GC.KeepAlive
        return best;
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
        // table (16 bytes per write, whatever the device) is reported apart.
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
