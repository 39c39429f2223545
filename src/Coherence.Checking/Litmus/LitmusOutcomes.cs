using Coherence.Checking.Strategies;

namespace Coherence.Checking.Litmus;

/// <summary>A distinct state: the observables' values, and the decisions of the first execution that reached it.</summary>
/// <param name="Values">Values in the order of the program's observables (final) or crash locations (crash).</param>
/// <param name="Witness">Decisions that reproduce it (a replay token's content).</param>
public sealed record ObservedState(long[] Values, Decision[] Witness);

/// <summary>Every distinct final state and crash state an exploration found.</summary>
public sealed class LitmusOutcomes
{
    private readonly Dictionary<string, ObservedState> finals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ObservedState> crashes = new(StringComparer.Ordinal);

    /// <summary>Final states, in the order found.</summary>
    public IEnumerable<ObservedState> Finals => finals.Values;

    /// <summary>Crash states, in the order found.</summary>
    public IEnumerable<ObservedState> Crashes => crashes.Values;

    /// <summary>Number of final states.</summary>
    public int FinalCount => finals.Count;

    /// <summary>Number of crash states.</summary>
    public int CrashCount => crashes.Count;

    internal void AddFinal(long[] values, IReadOnlyList<Decision> path) => Add(finals, values, path);

    internal void AddCrash(long[] values, IReadOnlyList<Decision> path) => Add(crashes, values, path);

    private static void Add(Dictionary<string, ObservedState> set, long[] values, IReadOnlyList<Decision> path)
    {
        var key = string.Join(',', values);
        if (!set.ContainsKey(key))
        {
            set[key] = new ObservedState(values, [.. path]);
        }
    }
}
