namespace Coherence.Platform.Choice;

/// <summary>
/// The deterministic chooser: always the default option. Evictions follow the replacement policy only, and every
/// buffer (store buffer, write-combining buffers, pending flushes, write-pending queues) drains at the end of each step.
/// </summary>
public sealed class PlainChooser : IChooser
{
    /// <summary>A shared instance (the chooser has no state).</summary>
    public static PlainChooser Instance { get; } = new();

    /// <inheritdoc/>
    public int Choose(ChoiceKind kind, int count, int defaultOption) => defaultOption;
}
