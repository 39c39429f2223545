namespace Coherence.Checking.Scenarios;

/// <summary>
/// Runs a scenario once, plainly: its steps in order on a fresh machine, every buffer drained at the end of each
/// step, no adversarial action; records the step-by-step trace and judges the expectations on this one run.
/// </summary>
public static class ScenarioRunner
{
    /// <summary>Runs <paramref name="spec"/>; throws <see cref="ScenarioError"/> for steps that name unknown things.</summary>
    public static ScenarioRun Run(ScenarioSpec spec, IReadOnlyDictionary<string, string>? policies = null)
    {
        var effective = policies ?? EffectivePolicies(spec, null);
        var trace = new List<string>();
        var exec = new ScenarioExecution(spec, effective, null, 0, trace);
        while (exec.Options > 0)
        {
            exec.Take(0);
        }
        exec.Finish();
        var run = new ScenarioRun { Machine = exec.Machine };
        run.Trace.AddRange(trace);
        foreach (var (k, v) in exec.Reads)
        {
            run.Reads[k] = v;
        }
        run.Results.AddRange(exec.Results);
        foreach (var x in spec.Expectations)
        {
            if (x is PropertyExpect p && x.AppliesUnder(effective))
            {
                var v = exec.Violations.FirstOrDefault(v => v.Property == p.Property);
                var violated = v is not null;
                run.Results.Add(new ExpectationResult(p, violated == p.Violated,
                    violated ? $"{p.Property} violated: {v!.Message}" : $"{p.Property} held"));
            }
        }
        run.Violations.AddRange(exec.Violations);
        return run;
    }

    /// <summary>The file's policies over the defaults, then <paramref name="overrides"/> over those.</summary>
    public static Dictionary<string, string> EffectivePolicies(ScenarioSpec spec, IReadOnlyDictionary<string, string>? overrides)
    {
        var p = Policies.Defaults();
        foreach (var (k, v) in spec.Policies)
        {
            p[k] = v;
        }
        if (overrides is not null)
        {
            foreach (var (k, v) in overrides)
            {
                p[k] = v;
            }
        }
        return p;
    }
}
