namespace Coherence.Checking.Scenarios;

/// <summary>Something the scenario's author expects of the run.</summary>
/// <param name="Where">Source location.</param>
public abstract record ExpectSpec(SourceSpan Where)
{
    /// <summary>When set, the expectation applies only while this facility runs this variant (<c>when nvdimm-flush=none</c>).</summary>
    public (string Facility, string Variant)? When { get; init; }

    /// <summary>True when the expectation applies under <paramref name="policies"/>.</summary>
    public bool AppliesUnder(IReadOnlyDictionary<string, string> policies) =>
        When is not { } w || (policies.TryGetValue(w.Facility, out var v) && v == w.Variant);
}

/// <summary>A built-in property must hold in every execution (<c>expect no-stale-read</c>) or, with
/// <paramref name="Violated"/>, must be violated in some execution (<c>expect violation no-stale-read</c>).</summary>
/// <param name="Where">Source location.</param>
/// <param name="Property">The property's stable name.</param>
/// <param name="Violated">True for "expect violation".</param>
public sealed record PropertyExpect(SourceSpan Where, string Property, bool Violated) : ExpectSpec(Where);

/// <summary>A kernel operation's errno (<c>expect errno erase1 == -EBUSY</c>; 0 for success).</summary>
/// <param name="Where">Source location.</param>
/// <param name="Label">The operation step's label.</param>
/// <param name="Errno">Expected return value (0 or a negative errno).</param>
public sealed record ErrnoExpect(SourceSpan Where, string Label, int Errno) : ExpectSpec(Where);

/// <summary>The kernel log contains a message containing <paramref name="Text"/> (or, negated, does not).</summary>
/// <param name="Where">Source location.</param>
/// <param name="Text">The text searched for.</param>
/// <param name="Negated">True for "expect no message".</param>
public sealed record MessageExpect(SourceSpan Where, string Text, bool Negated) : ExpectSpec(Where);

/// <summary>The bytes a labelled read returned equal (or, negated, differ from) <paramref name="Data"/>.</summary>
/// <param name="Where">Source location.</param>
/// <param name="Label">The read step's label.</param>
/// <param name="Data">Expected bytes.</param>
/// <param name="Negated">True for "!=".</param>
public sealed record ReadExpect(SourceSpan Where, string Label, byte[] Data, bool Negated) : ExpectSpec(Where);

/// <summary>After the run, the persistent media at a physical address holds (or does not hold) <paramref name="Data"/>.</summary>
/// <param name="Where">Source location.</param>
/// <param name="Address">Physical address.</param>
/// <param name="Data">Expected bytes.</param>
/// <param name="Negated">True for "!=".</param>
public sealed record MediaExpect(SourceSpan Where, ulong Address, byte[] Data, bool Negated) : ExpectSpec(Where);

/// <summary>The run raised at least one machine check (or, negated, none).</summary>
/// <param name="Where">Source location.</param>
/// <param name="Negated">True for "no machine-check".</param>
public sealed record MachineCheckExpect(SourceSpan Where, bool Negated) : ExpectSpec(Where);
