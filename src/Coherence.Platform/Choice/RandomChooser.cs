namespace Coherence.Platform.Choice;

/// <summary>
/// Makes every decision at random from a seed: any legal option, reproducibly. For background actions it stops
/// with probability <see cref="StopProbability"/> and otherwise picks any enabled action uniformly.
/// </summary>
public sealed class RandomChooser : IChooser
{
    private SplitMix64 random;

    /// <summary>Creates a chooser from <paramref name="seed"/>.</summary>
    public RandomChooser(ulong seed)
    {
        Seed = seed;
        random = new SplitMix64(seed);
    }

    /// <summary>The seed the chooser started from.</summary>
    public ulong Seed { get; }

    /// <summary>Probability of ending a step's background actions at each decision (default 0.5).</summary>
    public double StopProbability { get; init; } = 0.5;

    /// <summary>Number of decisions made so far.</summary>
    public long Decisions { get; private set; }

    /// <inheritdoc/>
    public int Choose(ChoiceKind kind, int count, int defaultOption)
    {
        Decisions++;
        if (kind == ChoiceKind.Background)
        {
            if (count == 1 || (random.NextUInt64() >> 11) * (1.0 / (1UL << 53)) < StopProbability)
            {
                return 0;
            }
            return 1 + random.NextInt(count - 1);
        }
        return random.NextInt(count);
    }
}
