using Coherence.Text.Diagnostics;

namespace Coherence.Text.Litmus.Syntax;

/// <summary>
/// The base of every litmus syntax-tree node. Nodes are immutable records.
/// </summary>
/// <remarks>
/// Invariant: equality between nodes is structural and ignores <see cref="Location"/>, so a tree parsed from a
/// file equals the tree parsed from its pretty-printed form. Lists inside nodes are <see cref="SyntaxList{T}"/>,
/// which compare element by element.
/// </remarks>
public abstract record SyntaxNode
{
    /// <summary>Where the node starts in its source file; <see cref="SourceLocation.Unknown"/> when built in code.</summary>
    public SourceLocation Location { get; init; } = SourceLocation.Unknown;

    /// <summary>Compares the node's kind only; derived records add their own components.</summary>
    /// <param name="other">The node to compare with.</param>
    /// <returns><see langword="true"/> when both nodes are of the same record type.</returns>
    public virtual bool Equals(SyntaxNode? other) =>
        other is not null && EqualityContract == other.EqualityContract;

    /// <summary>Hashes the node's kind only; derived records add their own components.</summary>
    /// <returns>A hash code consistent with <see cref="Equals(SyntaxNode?)"/>.</returns>
    public override int GetHashCode() => EqualityContract.GetHashCode();
}
