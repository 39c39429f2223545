using Coherence.Checking.Scenarios.Properties;
using Coherence.Checking.Strategies;
using Coherence.Platform;
using Coherence.Platform.Choice;
using Coherence.Platform.Events;
using Coherence.Platform.State;

namespace Coherence.Checking.Scenarios;

/// <summary>
/// One execution of a scenario: its steps in file order on a fresh machine, with the hardware's background actions
/// (buffer drains, flush completions, and — where the platform enables them, within the adversary budget —
/// spontaneous evictions and speculative fetches) offered as choices between steps. A CLWB that invalidates rather
/// than keeps its line also spends the budget (<see cref="AdversaryBudgetChooser"/>). Properties are judged as the
/// execution goes (<see cref="PropertyOracle"/>); value expectations at its end.
/// </summary>
public sealed class ScenarioExecution : IExecution
{
    private readonly ScenarioSpec spec;
    private readonly IReadOnlyDictionary<string, string> policies;
    private readonly Machine machine;
    private readonly PropertyOracle oracle;
    private readonly StepExecutor executor;
    private readonly EventLog? log;
    private readonly ObserverFanout? tracing;
    private readonly TraceFormatter formatter;
    private readonly List<BackgroundAction> actions = [];
    private readonly int budget;
    private readonly bool eager;
    private int used;
    private int stepIndex;
    private ulong iteration;
    private int scenarioStep;

    /// <summary>Starts an execution. With <paramref name="chooser"/> null the run is plain: every buffer drains at the
    /// end of each step and no adversarial action happens. With <paramref name="trace"/> the run records a step-by-step trace.</summary>
    public ScenarioExecution(ScenarioSpec spec, IReadOnlyDictionary<string, string> policies, IChooser? chooser, int adversaryBudget, List<string>? trace)
    {
        this.spec = spec;
        this.policies = policies;
        budget = adversaryBudget;
        eager = chooser is null;
        machine = MachineBuilder.Build(spec, chooser is null ? PlainChooser.Instance : new AdversaryBudgetChooser(chooser, () => used < budget, () => used++));
        oracle = new PropertyOracle(machine);
        Trace = trace;
        formatter = oracle.Formatter;
        if (trace is not null)
        {
            log = new EventLog();
            tracing = new ObserverFanout(oracle, log);
            machine.Observer = tracing;
        }
        else
        {
            machine.Observer = oracle;
        }
        executor = new StepExecutor(machine, oracle, Reads, formatter, policies) { FlushcachePolicies = policies };
    }

    /// <summary>The step executor (its flushcache results are judged at the end).</summary>
    internal StepExecutor Executor => executor;

    /// <summary>The machine.</summary>
    public Machine Machine => machine;

    /// <summary>The execution's kernel, or null while no kernel step has run.</summary>
    public KernelContext? Kernel => executor.Kernel;

    /// <summary>The trace lines (when tracing).</summary>
    public List<string>? Trace { get; }

    /// <summary>Reads by label.</summary>
    public Dictionary<string, ReadResult> Reads { get; } = new(StringComparer.Ordinal);

    /// <summary>Property violations found in this execution.</summary>
    public IReadOnlyList<Violation> Violations => oracle.Violations;

    /// <summary>Value expectations judged at the end (after <see cref="Finish"/>).</summary>
    public List<ExpectationResult> Results { get; } = [];

    /// <summary>True when every step has run.</summary>
    public bool StepsDone => stepIndex >= spec.Steps.Count;

    /// <inheritdoc/>
    public int ThreadOptions => StepsDone ? 0 : 1;

    /// <inheritdoc/>
    public int Options
    {
        get
        {
            if (eager)
            {
                return StepsDone ? 0 : 1;
            }
            actions.Clear();
            foreach (var a in machine.BackgroundActions)
            {
                if (a.IsEagerDrain || (used < budget && !StepsDone))
                {
                    actions.Add(a);
                }
            }
            return ThreadOptions + actions.Count;
        }
    }

    /// <inheritdoc/>
    public int ThreadIdOf(int option) => 0;

    /// <inheritdoc/>
    public void Hash(ref StateHasher h)
    {
        machine.HashState(ref h, includeOrigins: true);
        h.Add((ulong)stepIndex);
        h.Add(iteration);
        h.Add((ulong)used);
        foreach (var (p, s) in oracle.Reported)
        {
            h.Add((ulong)p.GetHashCode(StringComparison.Ordinal) ^ (ulong)s);
        }
        foreach (var (label, r) in Reads)
        {
            h.Add((ulong)label.GetHashCode(StringComparison.Ordinal));
            h.Add(r.Data);
        }
        if (executor.Arm64 is { } arm64)
        {
            // Report lines (transaction counts) depend on when buffers drained, not only on the steps run.
            foreach (var line in arm64.Log)
            {
                h.Add((ulong)line.GetHashCode(StringComparison.Ordinal));
            }
        }
    }

    /// <inheritdoc/>
    public void Observe()
    {
    }

    /// <inheritdoc/>
    public void Take(int option)
    {
        if (option == 0 && !StepsDone)
        {
            RunNextStep();
            return;
        }
        var a = actions[option - ThreadOptions];
        if (!a.IsEagerDrain)
        {
            used++;
        }
        Trace?.Add($"    hardware: {a.Kind} {(a.Cpu >= 0 ? "cpu" + a.Cpu : "")} line 0x{a.Address:x}");
        FlushLog();
        machine.Perform(a);
        FlushLog();
    }

    private void RunNextStep()
    {
        var step = spec.Steps[stepIndex];
        var body = step;
        ulong offset = 0;
        var traced = true;
        if (step is RepeatStep r)
        {
            body = r.Body;
            offset = iteration * r.Stride;
            // A long loop shows its first two and its last iteration in the trace.
            traced = iteration < 2 || iteration == r.Count - 1;
            if (iteration == 2 && r.Count > 3 && Trace is not null)
            {
                Trace.Add($"    ... {r.Count - 3} more iterations of line {r.Where.Line} not shown ...");
            }
            if (++iteration >= r.Count)
            {
                iteration = 0;
                stepIndex++;
            }
        }
        else
        {
            stepIndex++;
        }
        scenarioStep++;
        oracle.ScenarioStep = scenarioStep;
        log?.Clear();
        if (log is not null)
        {
            machine.Observer = traced ? tracing : oracle;
        }
        var note = executor.Execute(body, offset, step.Label);
        if (Trace is not null && traced)
        {
            var header = $"step {scenarioStep}{(step.Label is null ? "" : " [" + step.Label + "]")} ({step.Where.Line}): {StepExecutor.Describe(body, offset)}";
            Trace.Add(header);
            FlushLog();
            if (note is not null)
            {
                Trace.Add("    => " + note);
            }
        }
    }

    private void FlushLog()
    {
        if (Trace is null || log is null)
        {
            return;
        }
        foreach (var e in log.Events)
        {
            Trace.Add("    " + formatter.Format(e));
        }
        log.Clear();
    }

    /// <inheritdoc/>
    public void Finish()
    {
        foreach (var x in spec.Expectations)
        {
            if (x.AppliesUnder(policies))
            {
                if (StepExecutor.JudgeValue(machine, this, x, formatter) is { } result)
                {
                    Results.Add(result);
                }
            }
        }
    }
}
