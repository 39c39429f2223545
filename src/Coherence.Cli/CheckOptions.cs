using Coherence.Checking.Strategies;

namespace Coherence.Cli;

/// <summary>The options of <c>coherence check</c>.</summary>
internal sealed record CheckOptions
{
    public ExplorationOptions Exploration { get; init; } = new();

    /// <summary>True when --strategy was given (it then overrides a scenario's own <c>check</c> statement).</summary>
    public bool StrategyGiven { get; init; }

    /// <summary>--strategy plain: one deterministic run.</summary>
    public bool Plain { get; init; }

    /// <summary>--policy facility=variant overrides.</summary>
    public Dictionary<string, string> Policies { get; init; } = new(StringComparer.Ordinal);

    /// <summary>--compare facility=a,b,c: the facility and its variants.</summary>
    public (string Facility, string[] Variants)? Compare { get; init; }

    public string? Replay { get; init; }

    public bool Json { get; init; }

    public string? KindsFile { get; init; }
}
