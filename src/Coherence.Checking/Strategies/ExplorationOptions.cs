namespace Coherence.Checking.Strategies;

/// <summary>The search strategies.</summary>
public enum StrategyKind
{
    /// <summary>Depth-first over every decision, with state hashing.</summary>
    Exhaustive,

    /// <summary>A number of runs with seeded random decisions.</summary>
    Random,

    /// <summary>Probabilistic concurrency testing: random thread priorities with d change points.</summary>
    Pct,
}

/// <summary>How to explore, and when to stop.</summary>
public sealed record ExplorationOptions
{
    /// <summary>The strategy.</summary>
    public StrategyKind Strategy { get; init; } = StrategyKind.Exhaustive;

    /// <summary>Seed for random and PCT.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Runs for random and PCT.</summary>
    public int Runs { get; init; } = 1000;

    /// <summary>PCT's number of priority change points (d - 1 of them).</summary>
    public int PctDepth { get; init; } = 3;

    /// <summary>Stop after this many distinct states (exhaustive) — the result is then incomplete.</summary>
    public long MaxStates { get; init; } = 1_000_000;

    /// <summary>Stop an execution after this many scheduling decisions — the result is then incomplete.</summary>
    public int MaxSteps { get; init; } = 10_000;

    /// <summary>Stop after this long — the result is then incomplete.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many spontaneous evictions and speculative fetches per execution (when the platform enables them).</summary>
    public int AdversaryBudget { get; init; } = 2;
}
