namespace Coherence.Text.Litmus.Syntax;

/// <summary>
/// A <c>Key=Value</c> line between the header and the init block, such as <c>Cycle=Fre PodWR Fre PodWR</c>,
/// <c>Expected=Forbidden</c>, <c>CacheLine=x y</c> or <c>Persistence=eADR</c>.
/// </summary>
/// <param name="Key">The key, as written (keys are compared case-sensitively, as herd does).</param>
/// <param name="Value">The rest of the line after <c>=</c>, with surrounding white space removed.</param>
public sealed record InfoLine(string Key, string Value) : SyntaxNode
{
    /// <summary>The key that states the expected verdict of the first condition.</summary>
    public const string ExpectedKey = "Expected";

    /// <summary>The key that puts memory locations on one cache line (repeatable, one line per group).</summary>
    public const string CacheLineKey = "CacheLine";

    /// <summary>The key that names the persistence domain.</summary>
    public const string PersistenceKey = "Persistence";
}

/// <summary>The verdict an <c>Expected=</c> info line states for the test's first condition.</summary>
public enum Expectation
{
    /// <summary><c>Expected=Allowed</c>: some execution satisfies the first condition's proposition.</summary>
    Allowed,

    /// <summary><c>Expected=Forbidden</c>: no execution satisfies the first condition's proposition.</summary>
    Forbidden,
}

/// <summary>The persistence domain a <c>Persistence=</c> info line selects for crash conditions.</summary>
public enum PersistenceDomain
{
    /// <summary><c>Persistence=ADR</c> (the default): a store persists once it leaves the cache.</summary>
    Adr,

    /// <summary><c>Persistence=eADR</c>: caches are in the domain, so a store persists once visible.</summary>
    Eadr,

    /// <summary><c>Persistence=none</c>: even the memory controller's write-pending queue is lost.</summary>
    None,
}
