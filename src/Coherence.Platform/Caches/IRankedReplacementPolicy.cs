namespace Coherence.Platform.Caches;

/// <summary>
/// A replacement policy that can also say how recently each slot was used (or filled), so that a caller can walk the
/// valid lines of a set in the policy's own order. The trace-driven simulator needs this to write dirty lines back in
/// the order Dinero IV does when a whole cache is copied back.
/// </summary>
public interface IRankedReplacementPolicy : IReplacementPolicy
{
    /// <summary>
    /// The rank of <paramref name="slot"/>: among the valid slots of one set, a larger rank means more recently used
    /// (LRU) or more recently filled (FIFO). Policies without an order return 0 for every slot.
    /// </summary>
    ulong RankOf(int slot);
}
