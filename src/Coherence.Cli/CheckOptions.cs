using Coherence.Checking.Strategies;

namespace Coherence.Cli;

/// <summary>The options of <c>coherence check</c>.</summary>
internal sealed record CheckOptions
{
    public ExplorationOptions Exploration { get; init; } = new();

    public string? Replay { get; init; }

    public bool Json { get; init; }

    public string? KindsFile { get; init; }
}
