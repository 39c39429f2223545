namespace Coherence.Platform.Caches;

/// <summary>First-in first-out replacement: stamps are set on fill only, so hits do not refresh a line.</summary>
public struct FifoPolicy : IRankedReplacementPolicy
{
    private LruPolicy stamps;

    /// <inheritdoc/>
    public void Initialise(int sets, int ways) => stamps.Initialise(sets, ways);

    /// <inheritdoc/>
    public readonly void OnHit(int slot)
    {
    }

    /// <inheritdoc/>
    public void OnFill(int slot) => stamps.OnFill(slot);

    /// <inheritdoc/>
    public readonly int Victim(int set) => stamps.Victim(set);

    /// <inheritdoc/>
    public readonly ulong RankOf(int slot) => stamps.RankOf(slot);
}
