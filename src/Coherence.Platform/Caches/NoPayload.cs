namespace Coherence.Platform.Caches;

/// <summary>A payload that keeps nothing: the cache tracks tags and states only (trace-driven mode).</summary>
public struct NoPayload : ILinePayload
{
    /// <inheritdoc/>
    public readonly void Initialise(int slots, int lineSize)
    {
    }
}
