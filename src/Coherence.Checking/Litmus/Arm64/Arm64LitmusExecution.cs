using Coherence.Checking.Strategies;
using Coherence.Platform.Persistence;
using Coherence.Platform.State;

namespace Coherence.Checking.Litmus.Arm64;

/// <summary>
/// One execution of an AArch64 litmus program under the view-based Armv8 model (<see cref="Arm64Model"/>). Every
/// option at a scheduling point is one certified successor: a thread's next memory access, DSB or DC in one of the
/// ways the model allows (which message a load reads, whether a store fulfils a promise, whether a store-exclusive
/// fails), or a promise. Final states are recorded when every thread has finished; crash images at every state,
/// from the line versions in memory not older than the line's persistence bound.
/// </summary>
public sealed class Arm64LitmusExecution : IExecution
{
    private readonly Arm64Model model;
    private readonly ExplorationChooser chooser;
    private readonly LitmusOutcomes outcomes;
    private readonly Action<string>? trace;
    private ArmState state;
    private List<ArmStep>? successors;

    /// <summary>Shared between the executions of one exploration: the model with its certification cache.</summary>
    public sealed class Context
    {
        internal Context(Arm64Model model) => Model = model;

        internal Arm64Model Model { get; }
    }

    /// <summary>Creates the context for exploring <paramref name="program"/>.</summary>
    public static Context CreateContext(LitmusProgram program) => new(new Arm64Model(program));

    /// <summary>Starts an execution. <paramref name="trace"/>, when given, receives one line per step.</summary>
    public Arm64LitmusExecution(Context context, ExplorationChooser chooser, LitmusOutcomes outcomes, Action<string>? trace = null)
    {
        model = context.Model;
        this.chooser = chooser;
        this.outcomes = outcomes;
        this.trace = trace;
        state = model.Initial();
    }

    private List<ArmStep> Current => successors ??= model.Successors(state);

    /// <inheritdoc/>
    public int Options => Current.Count;

    /// <inheritdoc/>
    public int ThreadOptions => Current.Count;

    /// <inheritdoc/>
    public int ThreadIdOf(int option) => Current[option].Thread;

    /// <inheritdoc/>
    public void Hash(ref StateHasher h) => state.Hash(ref h);

    /// <inheritdoc/>
    public void Take(int option)
    {
        var step = Current[option];
        trace?.Invoke(step.Text);
        state = step.State;
        successors = null;
    }

    /// <inheritdoc/>
    public void Finish()
    {
        var program = model.Program;
        for (var t = 0; t < state.Threads.Length; t++)
        {
            var th = state.Threads[t];
            if (th.Faulted || th.Pc < program.Threads[t].Ops.Count || th.Promises.Count > 0)
            {
                return;
            }
        }
        var values = new long[program.Observables.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Value(program.Observables[i]);
        }
        if (program.Filter is null || program.Filter.Eval(Value))
        {
            outcomes.AddFinal(values, chooser.Log);
        }
    }

    private long Value(Observable o)
    {
        if (o.Thread >= 0)
        {
            return state.Threads[o.Thread].Regs[o.Index];
        }
        return model.ValueAt(state, o.Index, Arm64Model.LatestAtOrBefore(state, o.Index, int.MaxValue));
    }

    /// <inheritdoc/>
    public void Observe()
    {
        var program = model.Program;
        if (program.CrashLocations.Count == 0)
        {
            return;
        }
        // Per tested line: the timestamps of the versions a power failure may leave on the media.
        var lines = program.CrashLocations.Select(l => program.Locations[l].Line).Distinct().Order().ToArray();
        var versions = new List<int>[lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var all = new List<int> { 0 };
            for (var ts = 1; ts <= state.Memory.Length; ts++)
            {
                if (program.Locations[state.Memory[ts - 1].Location].Line == line)
                {
                    all.Add(ts);
                }
            }
            versions[i] = program.Persistence switch
            {
                // eADR: the caches are in the persistence domain; the newest version survives.
                PersistenceDomain.Eadr => [all[^1]],
                // No persistence domain: nothing is guaranteed, any version since the start may be on the media.
                PersistenceDomain.None => all,
                // ADR: any version from the newest one a completed DC guarantees.
                _ => all.Where(ts => ts >= model.LatestLineAtOrBefore(state, line, state.Bound[line])).ToList(),
            };
        }
        var choice = new int[lines.Length];
        while (true)
        {
            var values = new long[program.CrashLocations.Count];
            for (var k = 0; k < values.Length; k++)
            {
                var loc = program.CrashLocations[k];
                var i = Array.IndexOf(lines, program.Locations[loc].Line);
                values[k] = model.ValueAt(state, loc, Arm64Model.LatestAtOrBefore(state, loc, versions[i][choice[i]]));
            }
            outcomes.AddCrash(values, chooser.Log);
            var j = 0;
            while (j < choice.Length && ++choice[j] == versions[j].Count)
            {
                choice[j] = 0;
                j++;
            }
            if (j == choice.Length)
            {
                return;
            }
        }
    }
}
