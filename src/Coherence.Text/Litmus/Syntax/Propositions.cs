namespace Coherence.Text.Litmus.Syntax;

/// <summary>
/// A proposition over final values, as in conditions and <c>filter</c>. Binding from tightest: <c>~</c>, <c>/\</c>,
/// <c>\/</c>, <c>=&gt;</c>; <c>/\</c> and <c>\/</c> group to the left, <c>=&gt;</c> to the right.
/// </summary>
public abstract record Proposition : SyntaxNode;

/// <summary>An atom <c>loc=value</c>: <c>0:EAX=1</c>, <c>x=1</c>, <c>[x]=1</c>, <c>0:X1=x</c>.</summary>
/// <param name="Target">The register or memory location read after the run.</param>
/// <param name="Value">The value it is compared with.</param>
public sealed record EqualsAtom(StateLocation Target, LitmusValue Value) : Proposition;

/// <summary>The constant <c>true</c> or <c>false</c>.</summary>
/// <param name="Value">The constant.</param>
public sealed record ConstantProposition(bool Value) : Proposition;

/// <summary>Negation <c>~p</c>.</summary>
/// <param name="Operand">The negated proposition.</param>
public sealed record NotProposition(Proposition Operand) : Proposition;

/// <summary>The binary connectives.</summary>
public enum BinaryConnective
{
    /// <summary>Conjunction <c>/\</c>.</summary>
    And,

    /// <summary>Disjunction <c>\/</c>.</summary>
    Or,

    /// <summary>Implication <c>=&gt;</c>.</summary>
    Implies,
}

/// <summary>A binary proposition <c>p /\ q</c>, <c>p \/ q</c> or <c>p =&gt; q</c>.</summary>
/// <param name="Connective">The connective.</param>
/// <param name="Left">The left operand.</param>
/// <param name="Right">The right operand.</param>
public sealed record BinaryProposition(BinaryConnective Connective, Proposition Left, Proposition Right) : Proposition;
