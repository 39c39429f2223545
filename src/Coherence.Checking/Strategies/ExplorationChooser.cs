using Coherence.Platform.Choice;

namespace Coherence.Checking.Strategies;

/// <summary>
/// The chooser an execution runs under during exploration. It serves a prefix of decisions (replay), then makes new
/// ones with the strategy's rule, and logs every decision. Background decisions inside a platform step are always
/// "none": the explorer offers background actions itself at each scheduling point.
/// </summary>
public sealed class ExplorationChooser : IChooser
{
    private readonly int[] prefix;
    private readonly Func<ChoiceKind, int, int, int> fresh;

    /// <summary>Creates a chooser that replays <paramref name="prefix"/> then asks <paramref name="fresh"/>.</summary>
    public ExplorationChooser(int[] prefix, Func<ChoiceKind, int, int, int> fresh)
    {
        this.prefix = prefix;
        this.fresh = fresh;
    }

    /// <summary>The decisions made so far in this execution.</summary>
    public List<Decision> Log { get; } = [];

    /// <summary>True while the prefix is being replayed.</summary>
    public bool Replaying => Log.Count < prefix.Length;

    /// <summary>Set when a replayed decision was out of range: the index and the reason.</summary>
    public string? Divergence { get; private set; }

    /// <inheritdoc/>
    public bool DeclinesBackground => true;

    /// <inheritdoc/>
    public int Choose(ChoiceKind kind, int count, int defaultOption)
    {
        if (kind == ChoiceKind.Background)
        {
            return 0;
        }
        int c;
        if (Log.Count < prefix.Length)
        {
            c = prefix[Log.Count];
            if (c >= count)
            {
                Divergence ??= $"decision {Log.Count} chose option {c} of a {kind} decision that has only {count}";
                c = count - 1;
            }
        }
        else
        {
            c = fresh(kind, count, defaultOption);
        }
        Log.Add(new Decision(c, count));
        return c;
    }
}
