using Coherence.Checking.Strategies;

namespace Coherence.Checking.Litmus;

/// <summary>Checks a litmus program: explores it (x86 on the platform model, AArch64 on the Armv8 view-based model), then
/// judges each condition over the final or crash states.</summary>
public static class LitmusChecker
{
    /// <summary>Explores <paramref name="program"/> with <paramref name="options"/> and judges its conditions.</summary>
    public static LitmusReport Check(LitmusProgram program, ExplorationOptions options)
    {
        var outcomes = new LitmusOutcomes();
        var stats = Explorer.Run(Starter(program, outcomes), options);
        var results = new List<ConditionResult>();
        for (var i = 0; i < program.Conditions.Count; i++)
        {
            var c = program.Conditions[i];
            var states = c.Scope == ConditionScope.Final ? outcomes.Finals.ToList() : outcomes.Crashes.ToList();
            var observables = c.Scope == ConditionScope.Final
                ? program.Observables
                : program.CrashLocations.Select(l => new Observable(-1, l, program.Locations[l].Name)).ToList();
            var satisfied = 0;
            ObservedState? firstSat = null;
            ObservedState? firstUnsat = null;
            foreach (var s in states)
            {
                long Value(Observable o) => s.Values[IndexOf(observables, o)];
                if (c.Body.Eval(Value))
                {
                    satisfied++;
                    firstSat ??= s;
                }
                else
                {
                    firstUnsat ??= s;
                }
            }
            var ok = c.Quantifier switch
            {
                ConditionQuantifier.Exists => satisfied > 0,
                ConditionQuantifier.NotExists => satisfied == 0,
                _ => satisfied == states.Count,
            };
            var witness = c.Quantifier == ConditionQuantifier.ForAll ? firstUnsat : firstSat;
            results.Add(new ConditionResult(c, satisfied, states.Count, ok, i == 0 ? program.Expected : null, witness));
        }
        return new LitmusReport(program, outcomes, results, stats);
    }

    private static int IndexOf(IReadOnlyList<Observable> list, Observable o)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Thread == o.Thread && list[i].Index == o.Index)
            {
                return i;
            }
        }
        throw new InvalidOperationException($"observable {o.Name} is not listed");
    }

    /// <summary>Replays the execution of a witness (or replay token) and returns its trace, one line per instruction
    /// and platform event; an error text when the decisions do not fit the test.</summary>
    public static (IReadOnlyList<string> Trace, string? Error) Trace(LitmusProgram program, int[] decisions, int maxSteps = 10_000)
    {
        var lines = new List<string>();
        var (_, error) = Explorer.Replay(Starter(program, new LitmusOutcomes(), lines.Add), decisions, maxSteps);
        return (lines, error);
    }

    /// <summary>Whether a program runs on the AArch64 ordering model rather than the x86 platform model.</summary>
    public static bool IsAArch64(LitmusProgram program) => program.Architecture == "AArch64";

    private static Func<Platform.Choice.IChooser, IExecution> Starter(LitmusProgram program, LitmusOutcomes outcomes, Action<string>? trace = null)
    {
        if (IsAArch64(program))
        {
            var context = Arm64.Arm64LitmusExecution.CreateContext(program);
            return chooser => new Arm64.Arm64LitmusExecution(context, (ExplorationChooser)chooser, outcomes, trace);
        }
        return chooser => new LitmusExecution(program, (ExplorationChooser)chooser, outcomes, trace);
    }
}
