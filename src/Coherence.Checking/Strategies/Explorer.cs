using System.Diagnostics;
using Coherence.Platform.Choice;
using Coherence.Platform.State;

namespace Coherence.Checking.Strategies;

/// <summary>
/// Drives executions of a subject with a strategy: exhaustive depth-first search with state hashing (stateless:
/// each execution replays the decisions that lead to the next unexplored branch, and is cut as soon as it reaches a
/// state explored before), seeded random runs, or PCT. Limits end the search with a partial result marked incomplete.
/// </summary>
public static class Explorer
{
    /// <summary>Explores. <paramref name="start"/> creates a fresh execution bound to the given chooser.</summary>
    public static ExplorationStats Run(Func<IChooser, IExecution> start, ExplorationOptions options)
    {
        var sw = Stopwatch.StartNew();
        return options.Strategy switch
        {
            StrategyKind.Exhaustive => Exhaustive(start, options, sw),
            _ => Sampled(start, options, sw),
        };
    }

    /// <summary>Runs exactly the execution of a replay token; returns it after its last decision, or an error text.</summary>
    public static (IExecution? Execution, string? Error) Replay(Func<IChooser, IExecution> start, int[] decisions, int maxSteps)
    {
        var chooser = new ExplorationChooser(decisions, (_, _, d) => d);
        var exec = start(chooser);
        var steps = 0;
        while (chooser.Replaying)
        {
            var n = exec.Options;
            if (n == 0)
            {
                break;
            }
            if (++steps > maxSteps)
            {
                return (exec, $"the replay ran past {maxSteps} steps");
            }
            exec.Take(chooser.Choose(ChoiceKind.Thread, n, 0));
            if (chooser.Divergence is not null)
            {
                return (exec, "replay diverged: " + chooser.Divergence);
            }
        }
        if (chooser.Replaying)
        {
            return (exec, $"replay diverged: the execution ended after {chooser.Log.Count} of {decisions.Length} decisions");
        }
        return (exec, null);
    }

    private static ExplorationStats Exhaustive(Func<IChooser, IExecution> start, ExplorationOptions options, Stopwatch sw)
    {
        var visited = new HashSet<(ulong, ulong)>();
        var prefix = Array.Empty<int>();
        long executions = 0;
        string? stop = null;
        while (true)
        {
            var chooser = new ExplorationChooser(prefix, (_, _, _) => 0);
            var exec = start(chooser);
            executions++;
            var steps = 0;
            while (true)
            {
                if (!chooser.Replaying)
                {
                    var h = new StateHasher();
                    exec.Hash(ref h);
                    if (!visited.Add(h.Value))
                    {
                        break;
                    }
                    exec.Observe();
                    if (visited.Count >= options.MaxStates)
                    {
                        stop = $"the state limit ({options.MaxStates}) was reached";
                        break;
                    }
                }
                if (!Advance(exec, chooser, options.MaxSteps, ref steps, ref stop))
                {
                    break;
                }
            }
            if (stop is null && sw.Elapsed > options.Timeout)
            {
                stop = $"the time limit ({options.Timeout.TotalSeconds:0.#} s) was reached";
            }
            if (stop is not null)
            {
                return new ExplorationStats(executions, visited.Count, sw.Elapsed, false, stop);
            }
            var log = chooser.Log;
            var i = log.Count - 1;
            while (i >= 0 && log[i].Chosen + 1 >= log[i].Count)
            {
                i--;
            }
            if (i < 0)
            {
                return new ExplorationStats(executions, visited.Count, sw.Elapsed, true, null);
            }
            prefix = new int[i + 1];
            for (var k = 0; k < i; k++)
            {
                prefix[k] = log[k].Chosen;
            }
            prefix[i] = log[i].Chosen + 1;
        }
    }

    private static ExplorationStats Sampled(Func<IChooser, IExecution> start, ExplorationOptions options, Stopwatch sw)
    {
        var rng = new SplitMix64(options.Seed);
        long points = 0;
        string? stop = null;
        var runs = 0;
        for (; runs < options.Runs; runs++)
        {
            IExecution? current = null;
            var priorities = new Dictionary<int, long>();
            var changePoints = new HashSet<int>();
            var step = 0;
            if (options.Strategy == StrategyKind.Pct)
            {
                for (var c = 1; c < options.PctDepth; c++)
                {
                    changePoints.Add(1 + rng.NextInt(64));
                }
            }
            int Fresh(ChoiceKind kind, int count, int def)
            {
                if (options.Strategy != StrategyKind.Pct || kind != ChoiceKind.Thread || current is null)
                {
                    return rng.NextInt(count);
                }
                var threads = current.ThreadOptions;
                if (threads < count && (threads == 0 || rng.NextInt(2) == 0))
                {
                    return threads + rng.NextInt(count - threads);
                }
                var best = 0;
                var bestPriority = long.MinValue;
                for (var o = 0; o < threads; o++)
                {
                    var id = current.ThreadIdOf(o);
                    if (!priorities.TryGetValue(id, out var p))
                    {
                        p = (long)(rng.NextUInt64() >> 2);
                        priorities[id] = p;
                    }
                    if (p > bestPriority)
                    {
                        bestPriority = p;
                        best = o;
                    }
                }
                if (changePoints.Contains(step))
                {
                    priorities[current.ThreadIdOf(best)] = -step;
                }
                return best;
            }
            var chooser = new ExplorationChooser([], Fresh);
            var exec = start(chooser);
            current = exec;
            while (true)
            {
                exec.Observe();
                points++;
                if (!Advance(exec, chooser, options.MaxSteps, ref step, ref stop))
                {
                    break;
                }
            }
            if (stop is null && sw.Elapsed > options.Timeout)
            {
                stop = $"the time limit ({options.Timeout.TotalSeconds:0.#} s) was reached";
            }
            if (stop is not null)
            {
                runs++;
                break;
            }
        }
        return new ExplorationStats(runs, points, sw.Elapsed, false, stop);
    }

    /// <summary>
    /// One scheduling point: with nothing enabled the execution finishes (false); past the step limit it stops with a
    /// reason in <paramref name="stop"/> (false); otherwise the chooser's option is taken (true).
    /// </summary>
    private static bool Advance(IExecution exec, ExplorationChooser chooser, int maxSteps, ref int steps, ref string? stop)
    {
        var n = exec.Options;
        if (n == 0)
        {
            exec.Finish();
            return false;
        }
        if (++steps > maxSteps)
        {
            stop = $"an execution ran past the step limit ({maxSteps})";
            return false;
        }
        exec.Take(chooser.Choose(ChoiceKind.Thread, n, 0));
        return true;
    }
}
