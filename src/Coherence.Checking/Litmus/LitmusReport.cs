using Coherence.Checking.Strategies;

namespace Coherence.Checking.Litmus;

/// <summary>A condition's verdict over the states found.</summary>
/// <param name="Condition">The condition.</param>
/// <param name="SatisfiedBy">States that satisfy its proposition.</param>
/// <param name="Of">States it was judged over (final or crash).</param>
/// <param name="Ok">Whether the condition holds (exists: some; ~exists: none; forall: all).</param>
/// <param name="Expected">The expected verdict (first condition only), or null.</param>
/// <param name="Witness">An execution whose state satisfies the proposition (for exists) or breaks it (for ~exists
/// and forall, when the condition fails), or null.</param>
public sealed record ConditionResult(LitmusCondition Condition, int SatisfiedBy, int Of, bool Ok, Verdict? Expected, ObservedState? Witness)
{
    /// <summary>Allowed when some state satisfies the proposition, else Forbidden.</summary>
    public Verdict Verdict => SatisfiedBy > 0 ? Verdict.Allowed : Verdict.Forbidden;

    /// <summary>True when the condition meets its expectation: the verdict for the first condition with an
    /// expectation, otherwise the condition's own claim (<see cref="Ok"/>).</summary>
    public bool Passed => Expected is { } e ? e == Verdict : Ok;
}

/// <summary>Everything checking a litmus test produced.</summary>
/// <param name="Program">The test.</param>
/// <param name="Outcomes">Final and crash states.</param>
/// <param name="Conditions">Each condition's verdict.</param>
/// <param name="Stats">What the exploration did.</param>
public sealed record LitmusReport(LitmusProgram Program, LitmusOutcomes Outcomes, IReadOnlyList<ConditionResult> Conditions, ExplorationStats Stats)
{
    /// <summary>True when every condition met its expectation and the exploration was complete (or found a
    /// counterexample, which an incomplete search can still prove).</summary>
    public bool Passed => Conditions.All(c => c.Passed);
}
