namespace Coherence.Platform.Caches;

/// <summary>Least-recently-used replacement: a per-slot use stamp from one counter; the victim has the smallest stamp.</summary>
public struct LruPolicy : IRankedReplacementPolicy
{
    private ulong[] stamps;
    private ulong clock;
    private int ways;

    /// <inheritdoc/>
    public void Initialise(int sets, int ways)
    {
        stamps = new ulong[sets * ways];
        this.ways = ways;
        clock = 0;
    }

    /// <inheritdoc/>
    public void OnHit(int slot) => stamps[slot] = ++clock;

    /// <inheritdoc/>
    public void OnFill(int slot) => stamps[slot] = ++clock;

    /// <inheritdoc/>
    public readonly ulong RankOf(int slot) => stamps[slot];

    /// <inheritdoc/>
    /// <remarks>The first way with the smallest stamp, found without branches on the stamps: they are in random order,
    /// so a compare-and-branch per way mispredicts about half the time. Stamps stay below 2^63 (one per access), so
    /// the sign of the difference is the comparison.</remarks>
    public readonly int Victim(int set)
    {
        var s = stamps.AsSpan(set * ways, ways);
        var best = 0L;
        var bestStamp = s[0];
        for (var w = 1; w < s.Length; w++)
        {
            var stamp = s[w];
            var less = (long)(stamp - bestStamp) >> 63; // all ones when stamp < bestStamp
            best = (best & ~less) | (w & less);
            bestStamp = (bestStamp & ~(ulong)less) | (stamp & (ulong)less);
        }
        return (int)best;
    }
}
