namespace Coherence.Text.Litmus.Syntax;

/// <summary>A value in the init block or a condition: an integer, or the address of a memory location.</summary>
public abstract record LitmusValue : SyntaxNode;

/// <summary>An integer value (decimal or <c>0x</c> hexadecimal in the source, possibly negative).</summary>
/// <param name="Value">The value.</param>
public sealed record IntegerValue(long Value) : LitmusValue
{
    /// <inheritdoc/>
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The address of a memory location, as in <c>0:X1=x</c> (register X1 of thread 0 points to <c>x</c>).</summary>
/// <param name="Symbol">The memory location's name.</param>
public sealed record AddressValue(string Symbol) : LitmusValue
{
    /// <inheritdoc/>
    public override string ToString() => Symbol;
}
