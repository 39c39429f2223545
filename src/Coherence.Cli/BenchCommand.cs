using System.CommandLine;
using Coherence.Cli.Bench;
using Coherence.Native.Bench;

namespace Coherence.Cli;

/// <summary>The <c>bench</c> sub-commands: print the figures the issues ask for, side by side (never part of the tests).</summary>
internal static class BenchCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of the table." };
        var quick = new Option<bool>("--quick") { Description = "Fewer and shorter runs: a smoke run, not a measurement." };
        var copy = new Command("copy", "Native flushcache copy vs libpmem's pmem_memcpy and plain memcpy, GB/s side by side.");
        copy.Options.Add(json);
        copy.Options.Add(quick);
        copy.SetAction(parse => (int)RunCopy(parse.GetValue(json), parse.GetValue(quick), stdout, stderr));
        var platformQuick = new Option<bool>("--quick") { Description = "Fewer iterations: a smoke run, not a measurement." };
        var platformOnly = new Option<string?>("--only") { Description = "Measure only the figures whose name contains this text (for profiling one of them)." };
        var platform = new Command("platform", "Simulated accesses per second, bytes per touched device line, erase time.") { platformQuick, platformOnly };
        platform.SetAction(parse =>
        {
            var only = parse.GetValue(platformOnly);
            if (!PlatformBench.FigureNames.Any(name => PlatformBench.Selects(only, name)))
            {
                stderr.WriteLine($"coherence bench platform: --only '{only}' matches no figure; the figures are: {string.Join("; ", PlatformBench.FigureNames)}");
                return (int)ExitCode.BadInput;
            }
            stdout.Write(PlatformBench.Format(PlatformBench.Run(parse.GetValue(platformQuick), only)));
            return (int)ExitCode.Success;
        });
        var examples = new Option<string>("--examples") { Description = "Folder of litmus tests to time.", DefaultValueFactory = _ => "examples/litmus/x86" };
        var maxStores = new Option<int>("--max-stores") { Description = "Largest N of the unflushed-stores growth table.", DefaultValueFactory = _ => 12 };
        var litmus = new Command("litmus", "Time to check the litmus examples exhaustively; state-space growth with unflushed stores.") { examples, maxStores };
        litmus.SetAction(parse =>
        {
            stdout.Write(LitmusBench.Run(parse.GetValue(examples)!, Math.Clamp(parse.GetValue(maxStores), 1, 16)));
            return (int)ExitCode.Success;
        });
        var tdxQuick = new Option<bool>("--quick") { Description = "A 64 GiB host and 1 M queries: a smoke run, not a measurement." };
        var tdxMaxMemory = new Option<int>("--max-memory") { Description = "GiB one tracker may use; larger ones are measured on a smaller host and scaled (default 4).", DefaultValueFactory = _ => 4 };
        var tdx = new Command("tdx-tracking", "TDX private-page tracking: bitmap vs KVM-like xarray vs struct-page flag, memory and time for a 4 TiB host.") { tdxQuick, tdxMaxMemory };
        tdx.SetAction(parse => (int)RunTdxTracking(parse.GetValue(tdxQuick), parse.GetValue(tdxMaxMemory), stdout, stderr));
        var erase = new Command("erase", "Secure erase plus invalidation on 2 sockets x 8 cores with 100 000 touched lines (4 TiB and 16 GiB devices).");
        erase.SetAction(_ =>
        {
            stdout.Write(EraseBench.Run());
            return (int)ExitCode.Success;
        });
        var trace = new Option<string?>("--trace") { Description = "din trace to replay (default: a generated one of --records references, same mix as the reference trace)." };
        var records = new Option<long>("--records") { Description = "References in the generated trace.", DefaultValueFactory = _ => 20_000_000 };
        var runs = new Option<int>("--runs") { Description = "Timed runs per part, after one untimed run.", DefaultValueFactory = _ => 3 };
        var cachesim = new Command("cachesim", "Trace-driven simulation (issue 11's configuration): parsing alone, simulation alone, whole runs; references per second.") { trace, records, runs };
        cachesim.SetAction(parse =>
        {
            var parts = CachesimBench.Run(parse.GetValue(trace), Math.Max(1, parse.GetValue(records)), Math.Clamp(parse.GetValue(runs), 1, 50), stderr.WriteLine);
            var m = MachineDescription.Current();
            stdout.Write(CachesimBench.Format(parts, $"{m.Model}, {m.Cores} cores; {m.Os}; {m.Runtime}"));
            return (int)ExitCode.Success;
        });
        var bench = new Command("bench", "Measure performance figures (never part of the tests).") { copy, platform, litmus, tdx, erase, cachesim };
        return bench;
    }

    public static ExitCode RunTdxTracking(bool quick, int maxMemoryGiB, TextWriter stdout, TextWriter stderr)
    {
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (maxMemoryGiB < 1 || (long)maxMemoryGiB << 30 > available / 2)
        {
            stderr.WriteLine($"bench tdx-tracking: --max-memory {maxMemoryGiB} GiB must be at least 1 and at most half of the {available >> 30} GiB available");
            return ExitCode.BadInput;
        }
        var options = (quick ? TdxTrackingBench.Options.Quick : TdxTrackingBench.Options.Default) with { MaxBytes = (long)maxMemoryGiB << 30 };
        var rows = TdxTrackingBench.Run(options, stderr.WriteLine);
        var m = MachineDescription.Current();
        stdout.Write(TdxTrackingBench.Format(rows, options, $"{m.Model}, {m.Cores} cores; {m.Os}; {m.Runtime}"));
        return ExitCode.Success;
    }

    public static ExitCode RunCopy(bool json, bool quick, TextWriter stdout, TextWriter stderr)
    {
        CopyBenchReport report;
        try
        {
            report = CopyBench.Run(quick ? CopyBenchOptions.Quick : CopyBenchOptions.Full, json ? null : row => stderr.WriteLine($"measuring {row}"));
        }
        catch (PlatformNotSupportedException e)
        {
            stderr.WriteLine($"bench copy: {e.Message}");
            return ExitCode.BadInput;
        }

        stdout.Write(json ? report.RenderJson() : report.RenderTable());
        return ExitCode.Success;
    }
}
