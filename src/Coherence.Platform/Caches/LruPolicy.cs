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
    public readonly int Victim(int set)
    {
        var first = set * ways;
        var best = 0;
        var bestStamp = stamps[first];
        for (var w = 1; w < ways; w++)
        {
            var s = stamps[first + w];
            if (s < bestStamp)
            {
                bestStamp = s;
                best = w;
            }
        }
        return best;
    }
}
