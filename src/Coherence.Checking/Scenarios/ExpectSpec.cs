namespace Coherence.Checking.Scenarios;

/// <summary>Something the scenario's author expects of the run.</summary>
/// <param name="Where">Source location.</param>
public abstract record ExpectSpec(SourceSpan Where);

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
