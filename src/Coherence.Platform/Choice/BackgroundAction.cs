namespace Coherence.Platform.Choice;

/// <summary>One enabled background action.</summary>
/// <param name="Kind">What would happen.</param>
/// <param name="Cpu">The CPU concerned, or -1.</param>
/// <param name="Index">Kind-specific index: WC buffer or pending-flush position, cache slot, or device index.</param>
/// <param name="Address">Line address concerned (physical), or 0.</param>
/// <param name="Cache">For evictions: which cache (0 L1, 1 L2, 2 LLC).</param>
public readonly record struct BackgroundAction(BackgroundActionKind Kind, int Cpu, int Index, ulong Address, int Cache)
{
    /// <summary>True for the drains the plain chooser performs eagerly.</summary>
    public bool IsEagerDrain => Kind is BackgroundActionKind.DrainStoreBuffer or BackgroundActionKind.DrainWcBuffer
        or BackgroundActionKind.CompleteFlush or BackgroundActionKind.DrainQueue;
}
