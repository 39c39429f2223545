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
        var platform = new Command("platform", "Simulated accesses per second, bytes per touched device line, erase time.") { platformQuick };
        platform.SetAction(parse =>
        {
            stdout.Write(PlatformBench.Format(PlatformBench.Run(parse.GetValue(platformQuick))));
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
        var bench = new Command("bench", "Measure performance figures (never part of the tests).") { copy, platform, litmus };
        return bench;
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
