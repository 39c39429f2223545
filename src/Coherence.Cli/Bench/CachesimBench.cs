using System.Diagnostics;
using System.Globalization;
using System.Text;
using Coherence.Platform.Choice;
using Coherence.Platform.TraceSim;
using Coherence.Text.Traces;

namespace Coherence.Cli.Bench;

/// <summary>
/// Issue 11's trace-driven figures inside one process, split into their parts: parsing alone, simulation alone (over
/// records parsed beforehand) and the whole <c>cachesim</c> run (parsing on a second thread, simulation, report). The
/// configuration is the issue's: split 32 KiB 8-way L1s and a 1 MiB 16-way unified L2, 64-byte blocks, LRU, write-back,
/// write-allocate. The headline figure is still the process timed from outside (docs/performance.md), which adds the
/// runtime's start-up; this command says where the time inside goes.
/// </summary>
internal static class CachesimBench
{
    private static readonly string[] Configuration =
    [
        "-informat", "d",
        "-l1-isize", "32k", "-l1-ibsize", "64", "-l1-iassoc", "8",
        "-l1-dsize", "32k", "-l1-dbsize", "64", "-l1-dassoc", "8",
        "-l2-usize", "1m", "-l2-ubsize", "64", "-l2-uassoc", "16",
    ];

    /// <summary>One timed part: its name, the records it handled and the wall and CPU seconds of each run.</summary>
    public sealed record Part(string Name, long Records, IReadOnlyList<double> Wall, IReadOnlyList<double> Cpu);

    /// <summary>Runs each part <paramref name="runs"/> times (after one untimed run) over the trace at
    /// <paramref name="tracePath"/>, or over a generated one of <paramref name="generate"/> records when it is null.</summary>
    public static IReadOnlyList<Part> Run(string? tracePath, long generate, int runs, Action<string> progress)
    {
        string path;
        var temporary = tracePath is null;
        if (tracePath is null)
        {
            path = Path.Combine(Path.GetTempPath(), $"coherence-bench-{Environment.ProcessId}.din");
            progress($"writing {generate} records to {path}");
            Generate(path, generate, seed: 7);
        }
        else
        {
            path = tracePath;
        }
        try
        {
            var parts = new List<Part>();
            progress("parsing");
            parts.Add(Measure("parse only", runs, () => ParseOnly(path)));
            progress("simulating pre-parsed records");
            var records = ParseAll(path);
            parts.Add(Measure("simulate only", runs, () => SimulateOnly(records)));
            records = [];
            GC.Collect();
            progress("whole cachesim runs");
            parts.Add(Measure("cachesim (parse + simulate + report)", runs, () => Whole(path)));
            return parts;
        }
        finally
        {
            if (temporary)
            {
                File.Delete(path);
            }
        }
    }

    public static string Format(IReadOnlyList<Part> parts, string machine)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"machine: {machine}");
        sb.AppendLine("configuration: " + string.Join(' ', Configuration));
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"part",-38} {"records",12} {"best s",8} {"median s",9} {"CPU s",7} {"M refs/s best",14} {"median",8}");
        foreach (var p in parts)
        {
            var wall = p.Wall.Order().ToArray();
            var best = wall[0];
            var median = wall[wall.Length / 2];
            var cpu = p.Cpu.Order().ToArray()[wall.Length / 2];
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"{p.Name,-38} {p.Records,12} {best,8:F3} {median,9:F3} {cpu,7:F3} {p.Records / best / 1e6,14:F2} {p.Records / median / 1e6,8:F2}");
        }
        return sb.ToString();
    }

    private static Part Measure(string name, int runs, Func<long> body)
    {
        var records = body();
        var wall = new List<double>();
        var cpu = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            records = body();
            wall.Add(watch.Elapsed.TotalSeconds);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds);
        }
        return new Part(name, records, wall, cpu);
    }

    private static long ParseOnly(string path)
    {
        using var stream = TraceInput.Open(File.OpenRead(path));
        var reader = new TraceReader(stream, TraceFormat.Din);
        var batch = new TraceRecord[8192];
        long n = 0;
        int got;
        while ((got = reader.Read(batch)) > 0)
        {
            n += got;
        }
        return n;
    }

    private static TraceRecord[] ParseAll(string path)
    {
        using var stream = TraceInput.Open(File.OpenRead(path));
        var reader = new TraceReader(stream, TraceFormat.Din);
        var all = new List<TraceRecord>();
        var batch = new TraceRecord[8192];
        int got;
        while ((got = reader.Read(batch)) > 0)
        {
            all.AddRange(batch.AsSpan(0, got));
        }
        return [.. all];
    }

    private static long SimulateOnly(TraceRecord[] records)
    {
        var simulator = new TraceSimulator(DineroOptionParser.Parse(Configuration).Simulation);
        for (var i = 0; i < records.Length; i += 8192)
        {
            simulator.Process(records.AsSpan(i, Math.Min(8192, records.Length - i)));
        }
        simulator.Finish();
        return records.Length;
    }

    private static long Whole(string path)
    {
        var args = new List<string>(Configuration) { path };
        var code = CachesimCommand.Run(args, () => Stream.Null, TextWriter.Null, TextWriter.Null);
        if (code != ExitCode.Success)
        {
            throw new InvalidOperationException($"cachesim failed with {code}");
        }
        return ParseOnlyCount(path);
    }

    private static long ParseOnlyCount(string path)
    {
        long lines = 0;
        using var stream = File.OpenRead(path);
        var buffer = new byte[1 << 20];
        int got;
        while ((got = stream.Read(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, got).Count((byte)'\n');
        }
        return lines;
    }

    /// <summary>
    /// Writes a din trace with the mix of <c>../shared/reference/dinero/make-trace.py</c>: 35 % instruction fetches,
    /// mostly sequential; data references 55 % in a 24 KiB hot region, 30 % in 2 MiB, 15 % anywhere in 4 GiB; 30 % of
    /// data references are writes. Different random numbers, same distribution.
    /// </summary>
    public static void Generate(string path, long count, ulong seed)
    {
        var random = new SplitMix64(seed);
        const ulong Code = 0x400000, Data = 0x10000000, Heap = 0x7f0000000000;
        var pc = Code;
        using var output = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        for (long i = 0; i < count; i++)
        {
            var r = Unit(ref random);
            if (r < 0.35)
            {
                pc = Unit(ref random) < 0.9 ? pc + 4 : Code + ((ulong)random.NextInt(256 * 1024 / 4) * 4);
                output.Write("2 ");
                output.Write(pc.ToString("x", CultureInfo.InvariantCulture));
            }
            else
            {
                var s = Unit(ref random);
                var a = s < 0.55 ? Data + (ulong)random.NextInt(24 * 1024)
                    : s < 0.85 ? Data + (ulong)random.NextInt(2 * 1024 * 1024)
                    : Heap + (random.NextUInt64() & 0xffff_ffff);
                output.Write(Unit(ref random) < 0.3 ? "1 " : "0 ");
                output.Write((a & ~3UL).ToString("x", CultureInfo.InvariantCulture));
            }
            output.Write('\n');
        }
    }

    private static double Unit(ref SplitMix64 random) => (random.NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
