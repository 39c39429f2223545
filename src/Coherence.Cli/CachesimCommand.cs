using System.CommandLine;
using System.Text;
using Coherence.Platform.TraceSim;
using Coherence.Text.Traces;

namespace Coherence.Cli;

/// <summary>
/// The <c>cachesim</c> sub-command: Dinero IV-compatible trace-driven cache simulation. Its arguments are Dinero's
/// single-dash options, which do not fit System.CommandLine's option model, so the command takes its tokens raw and
/// hands them, in order, to <see cref="DineroOptionParser"/>.
/// </summary>
internal static class CachesimCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var tokens = new Argument<string[]>("options-and-trace")
        {
            Description = "Dinero IV options (-l1-dsize 32k …), extensions (--cores, --json) and the trace file; run 'coherence cachesim -help'.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("cachesim", "Replay a memory trace (din / extended din, gzip or plain) through a cache hierarchy, Dinero IV compatible.")
        {
            tokens,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            var raw = new List<string>();
            var seen = false;
            foreach (var t in parse.Tokens)
            {
                if (!seen)
                {
                    seen = t.Value == "cachesim";
                    continue;
                }
                raw.Add(t.Value);
            }
            return (int)Run(raw, Console.OpenStandardInput, stdout, stderr);
        });
        return command;
    }

    /// <summary>Runs a simulation with the command line <paramref name="args"/>; standard input comes from
    /// <paramref name="stdin"/> when no trace file is named.</summary>
    public static ExitCode Run(IReadOnlyList<string> args, Func<Stream> stdin, TextWriter stdout, TextWriter stderr)
    {
        DineroOptions options;
        TraceSimulator simulator;
        try
        {
            options = DineroOptionParser.Parse(args);
            if (options.Help)
            {
                stdout.Write(DineroOptionParser.Usage.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
                return ExitCode.Success;
            }
            simulator = new TraceSimulator(options.Simulation);
        }
        catch (Exception e) when (e is DineroOptionException or ArgumentException)
        {
            stderr.WriteLine($"coherence cachesim: {e.Message}");
            stderr.WriteLine("Run \"coherence cachesim -help\" for usage information.");
            return ExitCode.BadInput;
        }

        Stream raw;
        try
        {
            raw = options.TracePath is null or "-"
                ? stdin()
                : new FileStream(options.TracePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"coherence cachesim: cannot open trace {options.TracePath}: {e.Message}");
            return ExitCode.BadInput;
        }

        if (!options.Json)
        {
            DineroReport.WriteHeader(stdout, options);
            if (options.Simulation.StatInterval > 0)
            {
                simulator.IntervalReached = s => DineroReport.WriteStatistics(stdout, s, options);
            }
        }
        using (raw)
        {
            try
            {
                using var text = TraceInput.Open(raw);
                var reader = new TraceReader(text, options.InputFormat, options.CoreColumn);
                TracePipeline.Run(reader, simulator, parallel: Environment.ProcessorCount > 1);
            }
            catch (TraceFormatException e)
            {
                stdout.Flush();
                stderr.WriteLine($"coherence cachesim: {e.Message}");
                return ExitCode.BadInput;
            }
            catch (InvalidDataException e)
            {
                stdout.Flush();
                stderr.WriteLine($"coherence cachesim: the trace is not valid gzip data: {e.Message}");
                return ExitCode.BadInput;
            }
        }

        if (simulator.SkipRemaining > 0)
        {
            stderr.WriteLine("coherence cachesim warning: input ended before -skipcount satisfied");
        }
        if ((options.Simulation.OnTrigger != 0 || options.Simulation.OffTrigger != 0) && !simulator.TriggerMatched)
        {
            stderr.WriteLine("coherence cachesim warning: trace discard trigger addresses were not matched");
        }
        else if (!simulator.Discarding && options.Simulation.OffTrigger != 0)
        {
            stderr.WriteLine("coherence cachesim warning: tail end of trace not discarded");
        }
        simulator.Finish();
        if (options.Json)
        {
            using var buffer = new MemoryStream();
            JsonReport.Write(buffer, simulator, options);
            stdout.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        }
        else
        {
            DineroReport.WriteFooter(stdout, simulator, options);
        }
        stdout.Flush();
        return ExitCode.Success;
    }
}
