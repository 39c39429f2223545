namespace Coherence.Checking.Litmus;

/// <summary>A proposition over a state (a valuation of observables).</summary>
public abstract record Prop
{
    /// <summary>Evaluates the proposition; <paramref name="value"/> gives an observable's value.</summary>
    public abstract bool Eval(Func<Observable, long> value);
}

/// <summary><c>loc = value</c>.</summary>
/// <param name="Target">The observable.</param>
/// <param name="Value">The value compared with.</param>
public sealed record EqProp(Observable Target, long Value) : Prop
{
    /// <inheritdoc/>
    public override bool Eval(Func<Observable, long> value) => value(Target) == Value;
}

/// <summary><c>true</c> or <c>false</c>.</summary>
/// <param name="Value">The constant.</param>
public sealed record ConstProp(bool Value) : Prop
{
    /// <inheritdoc/>
    public override bool Eval(Func<Observable, long> value) => Value;
}

/// <summary><c>~P</c>.</summary>
/// <param name="Operand">P.</param>
public sealed record NotProp(Prop Operand) : Prop
{
    /// <inheritdoc/>
    public override bool Eval(Func<Observable, long> value) => !Operand.Eval(value);
}

/// <summary><c>P /\ Q</c>, <c>P \/ Q</c>, <c>P => Q</c>.</summary>
/// <param name="Op">'&amp;', '|' or '>'.</param>
/// <param name="Left">P.</param>
/// <param name="Right">Q.</param>
public sealed record BinProp(char Op, Prop Left, Prop Right) : Prop
{
    /// <inheritdoc/>
    public override bool Eval(Func<Observable, long> value) => Op switch
    {
        '&' => Left.Eval(value) && Right.Eval(value),
        '|' => Left.Eval(value) || Right.Eval(value),
        _ => !Left.Eval(value) || Right.Eval(value),
    };
}
