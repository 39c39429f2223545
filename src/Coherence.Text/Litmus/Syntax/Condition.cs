namespace Coherence.Text.Litmus.Syntax;

/// <summary>How a condition quantifies over executions.</summary>
public enum Quantifier
{
    /// <summary><c>exists (p)</c>: some execution satisfies <c>p</c>.</summary>
    Exists,

    /// <summary><c>~exists (p)</c>: no execution satisfies <c>p</c>.</summary>
    NotExists,

    /// <summary><c>forall (p)</c>: every execution satisfies <c>p</c>.</summary>
    ForAll,
}

/// <summary>
/// A final condition. An ordinary condition is judged over the final states of complete executions; a crash
/// condition (<c>crash exists (...)</c>, a Coherence extension) over every persistent state a power failure at
/// any point may leave, where memory locations read their persisted values.
/// </summary>
/// <param name="Crash">Whether the condition is a crash condition.</param>
/// <param name="Quantifier">The quantifier.</param>
/// <param name="Body">The proposition.</param>
public sealed record Condition(bool Crash, Quantifier Quantifier, Proposition Body) : SyntaxNode;
