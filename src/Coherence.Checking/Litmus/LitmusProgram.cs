using Coherence.Platform.Persistence;

namespace Coherence.Checking.Litmus;

/// <summary>A shared memory location of a litmus test.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Initial">Its initial value.</param>
/// <param name="Size">Its size in bytes (4 or 8).</param>
/// <param name="Line">Index of the cache line it lives on.</param>
/// <param name="Offset">Byte offset in that line.</param>
public sealed record LitmusLocation(string Name, long Initial, int Size, int Line, int Offset);

/// <summary>One thread: its instructions and its registers' names (index = register number).</summary>
/// <param name="Id">The thread number (P0 → 0).</param>
/// <param name="Ops">Instructions.</param>
/// <param name="Registers">Register names, canonical (for example RAX for EAX), by index.</param>
/// <param name="InitialRegisters">Initial value of each register; a location's address when bound to one.</param>
public sealed record LitmusThread(int Id, IReadOnlyList<LitmusOp> Ops, IReadOnlyList<string> Registers, IReadOnlyList<long> InitialRegisters);

/// <summary>A location a condition or a state listing refers to: a memory location or a thread's register.</summary>
/// <param name="Thread">The thread, or -1 for memory.</param>
/// <param name="Index">The register index, or the memory location index.</param>
/// <param name="Name">How it prints (<c>1:EAX</c>, <c>x</c>).</param>
public sealed record Observable(int Thread, int Index, string Name);

/// <summary>Whether a condition is judged over final states or post-crash persistent states.</summary>
public enum ConditionScope
{
    /// <summary>The final states (registers and memory) of every complete execution.</summary>
    Final,

    /// <summary>The persistent images of the tested locations after a power failure at any point of any execution.</summary>
    Crash,
}

/// <summary>herd's quantifiers.</summary>
public enum ConditionQuantifier
{
    /// <summary>Some state satisfies the proposition.</summary>
    Exists,

    /// <summary>No state satisfies it.</summary>
    NotExists,

    /// <summary>Every state satisfies it.</summary>
    ForAll,
}

/// <summary>A final or crash condition.</summary>
/// <param name="Text">The condition as written.</param>
/// <param name="Scope">Final or crash.</param>
/// <param name="Quantifier">exists, ~exists or forall.</param>
/// <param name="Body">The proposition.</param>
public sealed record LitmusCondition(string Text, ConditionScope Scope, ConditionQuantifier Quantifier, Prop Body);

/// <summary>Expected verdict of a test's first condition.</summary>
public enum Verdict
{
    /// <summary>Some state satisfies the proposition.</summary>
    Allowed,

    /// <summary>No state does.</summary>
    Forbidden,
}

/// <summary>
/// A litmus test lowered for execution: locations with their line layout, threads of lowered instructions,
/// conditions, the observables that final states list, and the persistence domain.
/// </summary>
public sealed class LitmusProgram
{
    /// <summary>The test's name.</summary>
    public required string Name { get; init; }

    /// <summary>The architecture's name as written (X86, X86_64, AArch64).</summary>
    public required string Architecture { get; init; }

    /// <summary>Shared locations.</summary>
    public required IReadOnlyList<LitmusLocation> Locations { get; init; }

    /// <summary>Threads.</summary>
    public required IReadOnlyList<LitmusThread> Threads { get; init; }

    /// <summary>Conditions in file order (the first is judged against <see cref="Expected"/>).</summary>
    public required IReadOnlyList<LitmusCondition> Conditions { get; init; }

    /// <summary>What final states list: the locations and registers of the conditions and of <c>locations [...]</c>.</summary>
    public required IReadOnlyList<Observable> Observables { get; init; }

    /// <summary>The memory locations crash conditions mention (crash states list these).</summary>
    public required IReadOnlyList<int> CrashLocations { get; init; }

    /// <summary>A herd filter over final states, or null.</summary>
    public Prop? Filter { get; init; }

    /// <summary>The persistence domain (ADR unless an info line says otherwise).</summary>
    public PersistenceDomain Persistence { get; init; } = PersistenceDomain.Adr;

    /// <summary>The expected verdict of the first condition, from an <c>Expected=</c> info line or a kinds file.</summary>
    public Verdict? Expected { get; set; }

    /// <summary>Number of distinct cache lines the locations occupy.</summary>
    public int LineCount => Locations.Count == 0 ? 0 : Locations.Max(l => l.Line) + 1;
}
