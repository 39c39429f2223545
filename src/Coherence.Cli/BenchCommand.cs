using System.CommandLine;
using Coherence.Cli.Bench;

namespace Coherence.Cli;

/// <summary>The <c>bench</c> sub-commands: print the figures the issues ask for, side by side.</summary>
internal static class BenchCommand
{
    public static Command Build(TextWriter stdout)
    {
        var bench = new Command("bench", "Measure and print performance figures (not part of the tests).");
        var quick = new Option<bool>("--quick") { Description = "Fewer iterations: a smoke run, not a measurement." };
        var platform = new Command("platform", "Simulated accesses per second, bytes per touched line, erase time.") { quick };
        platform.SetAction(parse =>
        {
            stdout.Write(PlatformBench.Format(PlatformBench.Run(parse.GetValue(quick))));
            return (int)ExitCode.Success;
        });
        bench.Subcommands.Add(platform);
        return bench;
    }
}
