using System.CommandLine;

namespace Coherence.Cli;

/// <summary>Builds the <c>coherence</c> command tree.</summary>
public static class CommandLineBuilder
{
    /// <summary>Creates the root command, writing results to <paramref name="stdout"/> and errors to <paramref name="stderr"/>.</summary>
    public static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Coherence: checks device-memory cache maintenance on a simulated platform.");
        var paths = new Argument<string[]>("paths") { Description = "Files or folders to check (folders recursively: .scn and .litmus files).", Arity = ArgumentArity.OneOrMore };
        var strategy = new Option<string?>("--strategy") { Description = "How to explore: exhaustive (the default), random, pct, or plain (one deterministic run); overrides a scenario's 'check' line." };
        strategy.AcceptOnlyFromAmong("exhaustive", "random", "pct", "plain");
        var policy = new Option<string[]>("--policy") { Description = "facility=variant: run scenarios under this kernel policy (repeatable).", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };
        var compare = new Option<string?>("--compare") { Description = "facility=a,b,c: run each scenario under each variant and print a table." };
        var seed = new Option<ulong>("--seed") { Description = "Seed for random and pct.", DefaultValueFactory = _ => 1UL };
        var runs = new Option<int>("--runs") { Description = "Executions for random and pct.", DefaultValueFactory = _ => 1000 };
        var budget = new Option<int>("--budget") { Description = "Spontaneous evictions and speculative fetches allowed per execution, where the platform enables them.", DefaultValueFactory = _ => 2 };
        var maxStates = new Option<long>("--max-states") { Description = "Stop after this many distinct states (the result is marked incomplete).", DefaultValueFactory = _ => 1_000_000L };
        var maxSteps = new Option<int>("--max-steps") { Description = "Stop an execution after this many steps (the result is marked incomplete).", DefaultValueFactory = _ => 10_000 };
        var timeout = new Option<double>("--timeout") { Description = "Stop after this many seconds per file (the result is marked incomplete).", DefaultValueFactory = _ => 300.0 };
        var replay = new Option<string?>("--replay") { Description = "Re-run exactly the execution of a replay token and print its trace (one file)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document with every result instead of text." };
        var kinds = new Option<string?>("--kinds") { Description = "A herdtools7 kinds.txt: each test's first condition is judged against its kind." };
        var check = new Command("check", "Run the examples or files given and report what each one shows.")
        {
            paths, strategy, seed, runs, budget, maxStates, maxSteps, timeout, replay, json, kinds, policy, compare,
        };
        check.SetAction(parse =>
        {
            if (parse.GetValue(maxStates) < 1 || parse.GetValue(maxSteps) < 1 || parse.GetValue(runs) < 1 || !(parse.GetValue(timeout) > 0) || parse.GetValue(budget) < 0)
            {
                stderr.WriteLine("check: --max-states, --max-steps, --runs and --timeout must be positive, --budget must not be negative");
                return (int)ExitCode.BadInput;
            }
            var policies = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in parse.GetValue(policy) ?? [])
            {
                if (PolicyArguments.Parse(p, stderr) is not { } kv)
                {
                    return (int)ExitCode.BadInput;
                }
                policies[kv.Facility] = kv.Variants[0];
            }
            (string, string[])? comparison = null;
            if (parse.GetValue(compare) is { } c)
            {
                if (PolicyArguments.Parse(c, stderr, many: true) is not { } kv)
                {
                    return (int)ExitCode.BadInput;
                }
                comparison = kv;
            }
            var chosen = parse.GetValue(strategy);
            var options = new CheckOptions
            {
                StrategyGiven = chosen is not null,
                Plain = chosen == "plain",
                Policies = policies,
                Compare = comparison,
                Exploration = new Checking.Strategies.ExplorationOptions
                {
                    Strategy = chosen switch
                    {
                        "random" => Checking.Strategies.StrategyKind.Random,
                        "pct" => Checking.Strategies.StrategyKind.Pct,
                        _ => Checking.Strategies.StrategyKind.Exhaustive,
                    },
                    Seed = parse.GetValue(seed),
                    Runs = parse.GetValue(runs),
                    AdversaryBudget = parse.GetValue(budget),
                    MaxStates = parse.GetValue(maxStates),
                    MaxSteps = parse.GetValue(maxSteps),
                    Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                },
                Replay = parse.GetValue(replay),
                Json = parse.GetValue(json),
                KindsFile = parse.GetValue(kinds),
            };
            return (int)CheckCommand.Run(parse.GetValue(paths) ?? [], options, stdout, stderr);
        });
        root.Subcommands.Add(check);
        root.Subcommands.Add(BenchCommand.Build(stdout, stderr));
        root.Subcommands.Add(CachesimCommand.Create(stdout, stderr));
        return root;
    }
}
