using Coherence.Checking.Scenarios.Properties;
using Coherence.Checking.Strategies;

namespace Coherence.Checking.Scenarios;

/// <summary>A property's verdict over an exploration under one set of policies.</summary>
/// <param name="Property">The property's stable name.</param>
/// <param name="Violated">Whether some execution violated it.</param>
/// <param name="First">The first violation found, or null.</param>
/// <param name="Witness">Decisions reproducing the first violation.</param>
public sealed record PropertyVerdict(string Property, bool Violated, Violation? First, Decision[]? Witness);

/// <summary>An expectation's verdict over an exploration.</summary>
/// <param name="Expectation">The expectation.</param>
/// <param name="Held">Whether it held.</param>
/// <param name="Explanation">What was seen (in the failing execution when it failed).</param>
/// <param name="Witness">Decisions reproducing a failing execution, or null.</param>
public sealed record ExpectationVerdict(ExpectSpec Expectation, bool Held, string Explanation, Decision[]? Witness);

/// <summary>Checking one scenario under one set of policies.</summary>
/// <param name="Policies">The policies in force.</param>
/// <param name="Properties">Every built-in property's verdict.</param>
/// <param name="Expectations">Every applicable expectation's verdict.</param>
/// <param name="Stats">What the exploration did.</param>
public sealed record ScenarioReport(IReadOnlyDictionary<string, string> Policies, IReadOnlyList<PropertyVerdict> Properties,
    IReadOnlyList<ExpectationVerdict> Expectations, ExplorationStats Stats)
{
    /// <summary>True when every applicable expectation held.</summary>
    public bool Passed => Expectations.All(e => e.Held);
}

/// <summary>
/// Explores a scenario with a strategy and judges its properties and expectations: a property is violated when some
/// execution violates it; a value expectation (read, media, machine check) holds when it holds in every execution;
/// <c>expect P</c> holds when P is never violated, <c>expect violation P</c> when some execution violates it.
/// </summary>
public static class ScenarioChecker
{
    /// <summary>Checks <paramref name="spec"/> under <paramref name="policies"/>.</summary>
    public static ScenarioReport Check(ScenarioSpec spec, IReadOnlyDictionary<string, string> policies, ExplorationOptions options, bool plain, List<string>? plainTrace = null)
    {
        var firstViolation = new Dictionary<string, (Violation V, Decision[] W)>(StringComparer.Ordinal);
        var failed = new Dictionary<ExpectSpec, (string Why, Decision[] W)>();
        var lastSeen = new Dictionary<ExpectSpec, string>();
        ExplorationStats stats;
        void Collect(ScenarioExecution exec, IReadOnlyList<Decision> path)
        {
            foreach (var v in exec.Violations)
            {
                if (!firstViolation.ContainsKey(v.Property))
                {
                    firstViolation[v.Property] = (v, [.. path]);
                }
            }
            foreach (var r in exec.Results)
            {
                lastSeen[r.Expectation] = r.Explanation;
                if (!r.Held && !failed.ContainsKey(r.Expectation))
                {
                    failed[r.Expectation] = (r.Explanation, [.. path]);
                }
            }
        }
        if (plain)
        {
            var started = DateTime.UtcNow;
            var exec = new ScenarioExecution(spec, policies, null, 0, plainTrace);
            var steps = 0;
            while (exec.Options > 0)
            {
                exec.Take(0);
                steps++;
            }
            exec.Finish();
            Collect(exec, []);
            stats = new ExplorationStats(1, steps + 1, DateTime.UtcNow - started, true, null);
        }
        else
        {
            stats = Explorer.Run(chooser => new CollectingExecution(new ScenarioExecution(spec, policies, chooser, options.AdversaryBudget, null), (ExplorationChooser)chooser, Collect), options);
        }
        var properties = PropertyNames.All.Select(p => firstViolation.TryGetValue(p, out var f)
            ? new PropertyVerdict(p, true, f.V, f.W)
            : new PropertyVerdict(p, false, null, null)).ToList();
        var expectations = new List<ExpectationVerdict>();
        foreach (var x in spec.Expectations)
        {
            if (!x.AppliesUnder(policies))
            {
                continue;
            }
            if (x is PropertyExpect p)
            {
                var violated = firstViolation.TryGetValue(p.Property, out var f);
                expectations.Add(new ExpectationVerdict(x, violated == p.Violated,
                    violated ? $"{p.Property} violated: {f.V.Message}" : $"{p.Property} held in every execution", violated && !p.Violated ? f.W : null));
            }
            else if (failed.TryGetValue(x, out var bad))
            {
                expectations.Add(new ExpectationVerdict(x, false, bad.Why, bad.W));
            }
            else
            {
                expectations.Add(new ExpectationVerdict(x, true, lastSeen.GetValueOrDefault(x, "not judged (no execution finished)"), null));
            }
        }
        return new ScenarioReport(policies, properties, expectations, stats);
    }

    /// <summary>Replays the decisions of a witness and returns its trace.</summary>
    public static (IReadOnlyList<string> Trace, string? Error) Trace(ScenarioSpec spec, IReadOnlyDictionary<string, string> policies, int[] decisions, int budget)
    {
        var trace = new List<string>();
        if (decisions.Length == 0)
        {
            var plainExec = new ScenarioExecution(spec, policies, null, 0, trace);
            while (plainExec.Options > 0)
            {
                plainExec.Take(0);
            }
            return (trace, null);
        }
        var (_, error) = Explorer.Replay(chooser => new ScenarioExecution(spec, policies, chooser, budget, trace), decisions, 1_000_000);
        return (trace, error);
    }

    /// <summary>Wraps an execution so that its results are collected when it finishes.</summary>
    private sealed class CollectingExecution(ScenarioExecution inner, ExplorationChooser chooser, Action<ScenarioExecution, IReadOnlyList<Decision>> onFinish) : IExecution
    {
        public int Options => inner.Options;

        public int ThreadOptions => inner.ThreadOptions;

        public int ThreadIdOf(int option) => inner.ThreadIdOf(option);

        public void Hash(ref Platform.State.StateHasher h) => inner.Hash(ref h);

        public void Observe()
        {
            // Violations are recorded as they happen; collect them at every point so a cut execution still reports.
            if (inner.Violations.Count > 0)
            {
                onFinish(inner, chooser.Log);
            }
        }

        public void Finish()
        {
            inner.Finish();
            onFinish(inner, chooser.Log);
        }

        public void Take(int option) => inner.Take(option);
    }
}
