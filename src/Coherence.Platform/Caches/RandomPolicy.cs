using Coherence.Platform.Choice;

namespace Coherence.Platform.Caches;

/// <summary>Random replacement from the project's own seeded generator (the same victims on every .NET version).</summary>
public struct RandomPolicy : IRankedReplacementPolicy
{
    private SplitMix64 random;
    private int ways;

    /// <summary>Creates the policy with a seed.</summary>
    public RandomPolicy(ulong seed) => random = new SplitMix64(seed);

    /// <inheritdoc/>
    public void Initialise(int sets, int ways) => this.ways = ways;

    /// <inheritdoc/>
    public readonly void OnHit(int slot)
    {
    }

    /// <inheritdoc/>
    public readonly void OnFill(int slot)
    {
    }

    /// <inheritdoc/>
    public int Victim(int set) => random.NextInt(ways);

    /// <inheritdoc/>
    public readonly ulong RankOf(int slot) => 0;
}
