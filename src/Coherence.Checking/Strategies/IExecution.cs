using Coherence.Platform.State;

namespace Coherence.Checking.Strategies;

/// <summary>
/// One run of a subject (a litmus test, a scenario) under a chooser. The explorer asks it, at each scheduling point,
/// how many options there are, reports the state (hash and outcomes), and tells it which option to take.
/// Decisions the platform asks for inside a step go straight to the chooser the execution was started with.
/// </summary>
public interface IExecution
{
    /// <summary>Options at this scheduling point (threads first, then background actions); 0 when the run is over.</summary>
    int Options { get; }

    /// <summary>How many of <see cref="Options"/> are thread steps (the rest are hardware background actions).</summary>
    int ThreadOptions { get; }

    /// <summary>The thread that option <paramref name="option"/> (below <see cref="ThreadOptions"/>) runs.</summary>
    int ThreadIdOf(int option);

    /// <summary>Adds the current state to <paramref name="h"/> (everything that decides what can happen next or be observed).</summary>
    void Hash(ref StateHasher h);

    /// <summary>Records what can be observed at this point (for example crash images).</summary>
    void Observe();

    /// <summary>Records the final state; called once when <see cref="Options"/> is 0.</summary>
    void Finish();

    /// <summary>Takes option <paramref name="option"/>.</summary>
    void Take(int option);
}
